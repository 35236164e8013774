import type { Plugin } from 'vite';

/** The module that stands in for engine.io-client's WebTransport transport. */
export const STUB_ID = '\0meshmeet:no-webtransport';

/**
 * Leaves engine.io-client's WebTransport transport out of the web build (about 0.8 kB gzip with
 * the stream codec of engine.io-parser that only it uses: issue 14's budget). engine.io-client
 * imports it unconditionally, but it can never run here: rtc-core's socket.io channel, as the call
 * store creates it (no `socketOptions`), asks for `transports: ['websocket', 'polling']`, engine.io
 * only opens or upgrades to a transport on that list, and the signaling server offers no other.
 * Should that ever change, the stub fails loudly instead of connecting without it silently.
 */
export function noWebTransport(): Plugin {
  return {
    name: 'meshmeet:no-webtransport',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer && /[\\/]engine\.io-client[\\/]build[\\/]esm[\\/]/.test(importer) && /(^|\/)webtransport\.js$/.test(source)) return STUB_ID;
      return null;
    },
    load(id) {
      if (id !== STUB_ID) return null;
      return 'export class WT { constructor() { throw new Error("WebTransport is left out of this build (apps/web/plugins/noWebTransport.ts)"); } }';
    },
  };
}
