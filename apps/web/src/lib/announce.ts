/** Who joined and who left between two rosters, as sentences for a screen reader's live region. */
export function rosterChanges(
  before: ReadonlyArray<{ id: string; name: string }>,
  after: ReadonlyArray<{ id: string; name: string }>,
): string[] {
  const beforeIds = new Set(before.map((p) => p.id));
  const afterIds = new Set(after.map((p) => p.id));
  return [
    ...after.filter((p) => !beforeIds.has(p.id)).map((p) => `${p.name} joined`),
    ...before.filter((p) => !afterIds.has(p.id)).map((p) => `${p.name} left`),
  ];
}
