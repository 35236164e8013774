import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './test-utils.ts';

// Found by the fuzz (fuzz.int.test.ts): a PUT on a live polling session was answered 500.
let t: TestServer;
beforeAll(async () => {
  t = await startServer();
});
afterAll(async () => {
  await t.close();
});

async function pollingSid(): Promise<string> {
  const text = await (await fetch(`${t.url}/socket.io/?EIO=4&transport=polling`)).text();
  const sid = /"sid":"([^"]+)"/.exec(text)?.[1];
  if (!sid) throw new Error(`no handshake: ${text}`);
  return sid;
}

describe('engine.io requests with a method it does not serve', () => {
  it.each(['PUT', 'DELETE', 'PATCH'])('%s on a live polling session is a 400, and the session still works', async (method) => {
    const sid = await pollingSid();
    const refused = await fetch(`${t.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method, body: method === 'DELETE' ? undefined : '40' });
    expect(refused.status).toBe(400);
    // The session is untouched: a socket.io connect over it is answered.
    const post = await fetch(`${t.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '40', headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    expect(post.status).toBe(200);
    const poll = await (await fetch(`${t.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`)).text();
    expect(poll).toMatch(/^40\{"sid":/);
  });

  it('PUT without a session is a 400 too', async () => {
    expect((await fetch(`${t.url}/socket.io/?EIO=4&transport=polling`, { method: 'PUT', body: 'x' })).status).toBe(400);
  });
});
