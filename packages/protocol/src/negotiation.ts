/**
 * The polite side of a pair is the one whose id is smaller by JavaScript string comparison.
 * Both sides must compute this identically, so it lives in the contract.
 */
export function isPolite(selfId: string, remoteId: string): boolean {
  return selfId < remoteId;
}
