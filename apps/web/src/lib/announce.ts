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

/**
 * Whose media stopped or came back between two rosters, as sentences for the live region. Only
 * people in both rosters count: a join or a leave is announced by `rosterChanges`.
 */
export function interruptionChanges(
  before: ReadonlyArray<{ id: string; name: string; interrupted: boolean }>,
  after: ReadonlyArray<{ id: string; name: string; interrupted: boolean }>,
): string[] {
  const was = new Map(before.map((p) => [p.id, p.interrupted]));
  const changes: string[] = [];
  for (const p of after) {
    const previous = was.get(p.id);
    if (previous === undefined || previous === p.interrupted) continue;
    changes.push(p.interrupted ? `${p.name}’s connection is interrupted` : `${p.name}’s connection is back`);
  }
  return changes;
}
