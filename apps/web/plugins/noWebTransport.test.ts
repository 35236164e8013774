import { describe, expect, it } from 'vitest';
import { noWebTransport, STUB_ID } from './noWebTransport.ts';

type Hook = (this: unknown, ...args: unknown[]) => unknown;
const plugin = noWebTransport();
const resolveId = plugin.resolveId as Hook;
const load = plugin.load as Hook;
const esm = '/repo/node_modules/.pnpm/engine.io-client@6.6.8/node_modules/engine.io-client/build/esm';

describe('noWebTransport', () => {
  it("replaces engine.io-client's WebTransport module, from both places that import it", () => {
    expect(resolveId.call(null, './webtransport.js', `${esm}/transports/index.js`)).toBe(STUB_ID);
    expect(resolveId.call(null, './transports/webtransport.js', `${esm}/index.js`)).toBe(STUB_ID);
  });

  it('leaves every other module alone', () => {
    expect(resolveId.call(null, './websocket.js', `${esm}/transports/index.js`)).toBeNull();
    expect(resolveId.call(null, './webtransport.js', '/repo/apps/web/src/main.ts')).toBeNull();
    expect(resolveId.call(null, 'engine.io-client', undefined)).toBeNull();
  });

  it('stands in with a transport that refuses to be made', async () => {
    const code = load.call(null, STUB_ID) as string;
    const { WT } = (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as { WT: new () => unknown };
    expect(() => new WT()).toThrow(/left out of this build/);
    expect(load.call(null, '/some/other.js')).toBeNull();
  });
});
