import { LIMITS, checkRoomId } from '@meshmeet/protocol/checks';

const ADJECTIVES = [
  'amber', 'brave', 'calm', 'clever', 'cosy', 'crisp', 'eager', 'fancy', 'gentle', 'golden',
  'happy', 'jolly', 'kind', 'lively', 'lucky', 'mellow', 'misty', 'nimble', 'proud', 'quiet',
  'rapid', 'shiny', 'silent', 'sunny', 'swift', 'tidy', 'vivid', 'warm', 'witty', 'zesty',
] as const;
const NOUNS = [
  'badger', 'beacon', 'brook', 'canyon', 'cedar', 'comet', 'delta', 'falcon', 'fjord', 'garden',
  'harbor', 'island', 'lagoon', 'maple', 'meadow', 'nebula', 'orchid', 'otter', 'pebble', 'pine',
  'prairie', 'quartz', 'river', 'robin', 'summit', 'tiger', 'tulip', 'valley', 'willow', 'zephyr',
] as const;

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length) % list.length] as T;
}

/** A readable, hard-to-guess-by-accident room name such as `calm-otter-4821`. */
export function generateRoomName(random: () => number = Math.random): string {
  const digits = String(Math.floor(random() * 10000)).padStart(4, '0');
  return `${pick(ADJECTIVES, random)}-${pick(NOUNS, random)}-${digits}`;
}

/** The room named by a `/r/<room>` path, or null when the path names none (or an invalid one). */
export function roomFromPath(pathname: string): string | null {
  const match = /^\/r\/([^/]+)\/?$/u.exec(pathname);
  if (!match?.[1]) return null;
  let room: string;
  try {
    room = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  return checkRoomId(room).success ? room : null;
}

export function roomPath(room: string): string {
  return `/r/${encodeURIComponent(room)}`;
}

/** The link people share to invite others into `room`. */
export function inviteLink(origin: string, room: string): string {
  return `${origin}${roomPath(room)}`;
}

/**
 * Turns what someone typed into a valid room name where that is obvious (spaces become dashes,
 * other characters are dropped), so typing "Team Sync!" joins `Team-Sync`.
 */
export function normalizeRoomInput(input: string): string {
  return input
    .trim()
    .replace(/\s+/gu, '-')
    .replace(/[^A-Za-z0-9_-]/gu, '')
    .slice(0, LIMITS.roomMaxLength);
}
