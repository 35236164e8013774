// deploy/turnserver.conf, run by Debian's coturn with only the test's overrides (configuredCoturn.ts),
// behind the real signaling server (TURN_URLS, TURN_SECRET): two bots that may use relay
// candidates only. Both peers are on loopback, which the config refuses to relay to (coturn's own
// loopback refusal is lifted by the test, so the config's rule is the only one left): the first
// case adds the exception the config documents (allowed-peer-ip), the second proves the rule.
import { startSignalingProcess, waitUntil, type SignalingProcess } from '@meshmeet/rtc-core/test-utils';
import { connect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { turnserverUnsupportedReason } from '../../netlab/run.ts';
import { Ticker } from '../media/ticker.ts';
import { Bot, type MediaClocks } from '../bot/Bot.ts';
import { startConfiguredCoturn, type ConfiguredCoturn } from './configuredCoturn.ts';

const unsupported = await turnserverUnsupportedReason();
const SECRET = 'turn-config-test-secret';

describe.skipIf(unsupported !== null)(`deploy/turnserver.conf with coturn${unsupported ? ` (skipped: ${unsupported})` : ''}`, () => {
  let coturn: ConfiguredCoturn | undefined;
  let server: SignalingProcess | undefined;
  let clocks: MediaClocks | undefined;
  const bots: Bot[] = [];

  afterEach(async () => {
    await Promise.all(bots.splice(0).map((b) => b.stop()));
    clocks?.video.stop();
    clocks?.audio.stop();
    await server?.stop();
    await coturn?.stop();
    server = coturn = undefined;
  });

  async function relayOnlyPair(room: string, allowPeers?: string[], transport: 'udp' | 'tcp' = 'udp'): Promise<[Bot, Bot]> {
    coturn = await startConfiguredCoturn({ secret: SECRET, ...(allowPeers ? { allowPeers } : {}) });
    server = await startSignalingProcess({ ICE_SERVERS: '[]', TURN_URLS: `turn:127.0.0.1:${coturn.port}?transport=${transport}`, TURN_SECRET: SECRET });
    clocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
    const make = (name: string) => new Bot({ url: server!.url, room, name, video: { width: 160, height: 120, fps: 10 }, audio: false, clocks: clocks!, statsIntervalMs: 500, relayOnly: true });
    const pair: [Bot, Bot] = [make(`${room} a`), make(`${room} b`)];
    bots.push(...pair);
    await pair[0].start();
    await pair[1].start();
    return pair;
  }

  const connected = (b: Bot) => b.report().peers.some((p) => p.states.some((s) => s.state === 'connected'));

  // The bots' JSON report (what the load CLI writes) names the path of each link.
  const reportedPath = (b: Bot) => (JSON.parse(JSON.stringify(b.report())) as ReturnType<Bot['report']>).peers[0]?.path;
  const frames = (x: Bot) => x.report().peers[0]?.framesReceived ?? 0;

  it('relays a call: relay-only bots connect through it over UDP, exchange video frames, and report the relay path', async () => {
    const [a, b] = await relayOnlyPair('turn-conf', ['127.0.0.1']);
    await waitUntil(() => frames(a) > 10 && frames(b) > 10, 'both bots receive frames through coturn', 30_000);
    expect(coturn!.log()).toMatch(/ALLOCATE processed, success/);
    for (const bot of [a, b]) {
      const path = reportedPath(bot)!;
      expect(path).toMatchObject({ local: 'relay', remote: 'relay', protocol: 'udp', relayProtocol: 'udp' });
      expect(path.rttMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('relays over TCP to the TURN server (turn:...?transport=tcp): the report says relayProtocol tcp', async () => {
    const [a, b] = await relayOnlyPair('turn-tcp', ['127.0.0.1'], 'tcp');
    await waitUntil(() => frames(a) > 10 && frames(b) > 10, 'both bots receive frames through coturn over TCP', 30_000);
    expect(reportedPath(a)).toMatchObject({ local: 'relay', relayProtocol: 'tcp' });
    expect(reportedPath(b)).toMatchObject({ local: 'relay', relayProtocol: 'tcp' });
  });

  // wrtc validates a turns: server's certificate and cannot be given the test's own CA (it closed
  // the TLS connection to the self-signed one), so the TLS listener is checked with node's client.
  // (Not asserted: that TLS 1.1 is refused. This OpenSSL 3 build refuses it even without
  // no-tlsv1_1, so such a check could not fail.)
  it('serves TLS on tls-listening-port with the configured certificate', async () => {
    coturn = await startConfiguredCoturn({ secret: SECRET });
    const protocol = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: coturn!.tlsPort, ca: coturn!.certPem, servername: 'localhost', minVersion: 'TLSv1.2' }, () => {
        resolve(socket.getProtocol() ?? '');
        socket.destroy();
      });
      socket.once('error', reject);
      socket.setTimeout(5_000, () => socket.destroy(new Error('TLS handshake timed out')));
    });
    expect(protocol).toMatch(/^TLSv1\.[23]$/);
  });

  it('refuses to relay to loopback peers (denied-peer-ip): a relay-only call between them does not connect', async () => {
    const [a, b] = await relayOnlyPair('turn-deny');
    await waitUntil(() => a.report().peers.length === 1 && b.report().peers.length === 1, 'both bots see each other', 20_000);
    // Allocations succeed and every permission to 127.0.0.1 is refused (403 Forbidden IP), so
    // ICE has no pair to check; the allowed case above has frames within a few seconds.
    await waitUntil(() => /CREATE_PERMISSION processed, error 403/.test(coturn!.log()), 'coturn refuses a permission', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(connected(a) || connected(b)).toBe(false);
    expect(coturn!.log()).toMatch(/Forbidden IP/);
  });
});
