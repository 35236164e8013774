/** Raised hands, first raised first; people whose hand is down are left out. */
export function raisedInOrder<T extends { id: string; raisedAt: number | null }>(entries: readonly T[]): T[] {
  return entries
    .filter((e): e is T & { raisedAt: number } => e.raisedAt !== null)
    .sort((a, b) => a.raisedAt - b.raisedAt || a.id.localeCompare(b.id));
}

/**
 * The participants list's order: raised hands first, in the order they went up, then yourself,
 * then everyone else by name.
 */
export function participantOrder<T extends { id: string; name: string; raisedAt: number | null; self: boolean }>(
  rows: readonly T[],
): T[] {
  const raised = raisedInOrder(rows);
  const rest = rows
    .filter((r) => r.raisedAt === null)
    .sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return [...raised, ...rest];
}

/** "2nd" for the raise-order badge. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}
