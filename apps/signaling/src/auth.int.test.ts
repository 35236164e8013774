import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, joined, metric, next, record, settle, startServer, type Client, type TestServer } from './test-utils.ts';

// Tokens are minted here with node:crypto directly (not with jose, not with the server's code),
// so a bug in how the server reads them cannot hide behind the same bug in how they are made.
const SECRET = 'test-auth-secret-of-at-least-32-characters';
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function mint(claims: Record<string, unknown>, options: { secret?: string; alg?: string } = {}): string {
  const alg = options.alg ?? 'HS256';
  const head = `${b64({ alg, typ: 'JWT' })}.${b64(claims)}`;
  if (alg === 'none') return `${head}.`;
  return `${head}.${createHmac('sha256', options.secret ?? SECRET).update(head).digest('base64url')}`;
}
async function until(holds: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !holds(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(holds()).toBe(true);
}
const inSeconds = (s: number): number => Math.floor(Date.now() / 1000) + s;

let t: TestServer;
beforeAll(async () => {
  t = await startServer({ AUTH_SECRET: SECRET, TURN_URLS: 'turn:127.0.0.1:3478', TURN_SECRET: 'turn-secret-123', TURN_TTL: '86400' });
});
afterAll(async () => {
  await t.close();
});

/** A member in the room, so that a refused join could be seen if anything leaked to the room. */
async function watcher(room: string): Promise<{ client: Client; seen: ReturnType<typeof record> }> {
  const client = await t.connect();
  await joined(client, room, 'Watcher', { token: mint({ room, exp: inSeconds(600) }) });
  return { client, seen: record(client) };
}

describe('join tokens (AUTH_SECRET)', () => {
  it('lets in a valid token, caps resume and TURN credentials at its expiry, and takes its name', async () => {
    const exp = inSeconds(120);
    const a = await t.connect();
    const result = await joined(a, 'standup', 'Typed name', { v: 2, token: mint({ room: 'standup', exp, name: 'Ann from the app' }) });
    expect(result.self.name).toBe('Ann from the app');
    const turn = result.iceServers.find((s) => s.username);
    expect(turn).toBeDefined();
    expect(Number(turn!.username!.split(':')[0])).toBeLessThanOrEqual(exp);
    expect(result.resumeExpiresAt).toBeLessThanOrEqual(exp * 1000);
    // The resume credential alone brings it back (within the token's life). Closing the engine
    // (not socket.io's disconnect, which is a leave) drops the connection as a network would.
    a.io.engine.close();
    await until(() => t.server.rooms.away === 1);
    const back = await t.connect();
    const resumed = await joined(back, 'standup', 'Ann', { v: 2, resume: result.resume! });
    expect(resumed.self.id).toBe(result.self.id);
    expect(resumed.resumeExpiresAt).toBeLessThanOrEqual(exp * 1000);
    expect(Number(resumed.iceServers.find((s) => s.username)!.username!.split(':')[0])).toBeLessThanOrEqual(exp);
    // A client resumes with its (possibly expired) token too: the credential decides.
    back.io.engine.close();
    await until(() => t.server.rooms.away === 1);
    const third = await t.connect();
    const again = await joined(third, 'standup', 'Ann', { v: 2, resume: resumed.resume!, token: mint({ room: 'standup', exp: inSeconds(-5) }) });
    expect(again).toMatchObject({ resumed: 'kept', self: { id: result.self.id } });
  });

  it('accepts a `*` token for any room', async () => {
    const a = await t.connect();
    await joined(a, 'anything-goes', 'A', { token: mint({ room: '*', exp: inSeconds(60) }) });
  });

  const refused: [string, (room: string) => string | undefined][] = [
    ['missing', () => undefined],
    ['expired', (room) => mint({ room, exp: inSeconds(-5) })],
    ['without exp', (room) => mint({ room })],
    ['tampered signature', (room) => mint({ room, exp: inSeconds(60) }).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))],
    ['tampered claims', (room) => {
      const [h, , s] = mint({ room: 'elsewhere', exp: inSeconds(60) }).split('.');
      return `${h}.${b64({ room, exp: inSeconds(60) })}.${s}`;
    }],
    ['signed with another secret', (room) => mint({ room, exp: inSeconds(60) }, { secret: 'not-the-server-secret-but-long-enough' })],
    ['for another room', () => mint({ room: 'other-room', exp: inSeconds(60) })],
    ['alg none', (room) => mint({ room, exp: inSeconds(60) }, { alg: 'none' })],
    ['HS512', (room) => mint({ room, exp: inSeconds(60) }, { alg: 'HS512' })],
    ['an unknown role', (room) => mint({ room, exp: inSeconds(60), role: 'admin' })],
    ['a name with control characters', (room) => mint({ room, exp: inSeconds(60), name: 'a\u202Eb' })],
  ];
  for (const [what, token] of refused) {
    it(`refuses a join whose token is ${what}: UNAUTHORIZED, no TURN credentials, nobody told`, async () => {
      const room = `r-${what.replace(/[^a-z]/g, '')}`;
      const w = await watcher(room);
      const c = await t.connect();
      const tok = token(room);
      const result = await join(c, room, 'Mallory', undefined, { v: 2, ...(tok === undefined ? {} : { token: tok }) });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('UNAUTHORIZED');
      expect(JSON.stringify(result)).not.toContain('turn:');
      await settle(w.client);
      expect(w.seen).toEqual([]);
      expect(t.server.rooms.count(room)).toBe(1);
      w.client.disconnect();
    });
  }

  it('refuses a resume credential of a membership that ended, and a token-less join with a forged one', async () => {
    const a = await t.connect();
    const first = await joined(a, 'ended', 'A', { v: 2, token: mint({ room: 'ended', exp: inSeconds(60) }) });
    await a.emitWithAck('leave');
    const again = await join(a, 'ended', 'A', undefined, { v: 2, resume: first.resume! });
    expect(again).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const expiredToo = await join(a, 'ended', 'A', undefined, { v: 2, resume: first.resume!, token: mint({ room: 'ended', exp: inSeconds(-5) }) });
    expect(expiredToo).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const forged = await join(a, 'ended', 'A', undefined, { v: 2, resume: `${first.self.id}.${Date.now() + 60_000}.${'A'.repeat(43)}` });
    expect(forged).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('makes a host token holder the host', async () => {
    const a = await t.connect();
    await joined(a, 'hosted', 'A', { v: 2, token: mint({ room: 'hosted', exp: inSeconds(60) }) });
    const b = await t.connect();
    const state = next(a, 'room-state');
    const rb = await joined(b, 'hosted', 'B', { v: 2, token: mint({ room: 'hosted', exp: inSeconds(60), role: 'host' }) });
    expect(await state).toEqual({ hostId: rb.self.id, locked: false, passcode: false });
  });

  it('counts refusals by reason', async () => {
    expect(Number(await metric(t, 'meshmeet_rejected_messages_total{reason="UNAUTHORIZED"}'))).toBeGreaterThanOrEqual(refused.length);
  });
});
