// `pnpm run token -- --room standup --ttl 2h --host [--name Ann] [--base https://meet.example.org]`:
// mints a join token with AUTH_SECRET from the environment and prints it with a room link.
// (`pnpm token` alone is pnpm's own command, handed to npm: hence `run`.)
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { DisplayNameSchema, RoomIdSchema } from '@meshmeet/protocol';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `90`, `90s`, `15m`, `2h`, `7d` as seconds; null when it is none of those. */
export function parseTtl(text: string): number | null {
  const match = /^(\d{1,7})([smhd]?)$/.exec(text.trim());
  if (!match) return null;
  const seconds = Number(match[1]) * UNITS[match[2] || 's']!;
  return seconds > 0 ? seconds : null;
}

export async function mintToken(secret: string, claims: { room: string; ttlSeconds: number; host?: boolean; name?: string }, nowMs = Date.now()): Promise<string> {
  const payload: Record<string, string> = { room: claims.room };
  if (claims.name !== undefined) payload.name = claims.name;
  if (claims.host) payload.role = 'host';
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(iat).setExpirationTime(iat + claims.ttlSeconds).sign(new TextEncoder().encode(secret));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: { room: { type: 'string' }, ttl: { type: 'string', default: '2h' }, host: { type: 'boolean', default: false }, name: { type: 'string' }, base: { type: 'string', default: 'http://localhost:3000' } },
  });
  const secret = process.env.AUTH_SECRET;
  const problems: string[] = [];
  if (!secret || secret.length < 32) problems.push('AUTH_SECRET must be set in the environment (at least 32 characters), the same as the server\'s');
  const room = values.room ?? '';
  if (room !== '*' && !RoomIdSchema.safeParse(room).success) problems.push('--room: a room name (1-64 of A-Z a-z 0-9 _ -) or *');
  const ttl = parseTtl(values.ttl);
  if (ttl === null) problems.push('--ttl: a duration such as 90s, 15m, 2h or 7d');
  const name = values.name === undefined ? undefined : DisplayNameSchema.safeParse(values.name);
  if (name && !name.success) problems.push('--name: 1-64 characters, no control characters');
  if (problems.length > 0 || !secret || ttl === null) {
    process.stderr.write(`usage: pnpm run token -- --room <room|*> [--ttl 2h] [--host] [--name <display name>] [--base <app url>]\n${problems.map((p) => `  - ${p}\n`).join('')}`);
    return 2;
  }
  const token = await mintToken(secret, { room, ttlSeconds: ttl, host: values.host, ...(name?.success ? { name: name.data } : {}) });
  process.stdout.write(`${token}\n`);
  if (room !== '*') process.stdout.write(`link: ${values.base.replace(/\/+$/, '')}/r/${room}?token=${token}\n`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
