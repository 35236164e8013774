// The issue-9 scenarios' settings, shared by the tests and the benchmark (bench/p7-netlab.ts):
// which ICE servers the signaling server hands out, and the impaired uplink.
import type { Coturn } from './meshProcesses.ts';
import type { Impairment } from './plan.ts';

export type ServerEnv = (coturn: Coturn) => Record<string, string>;

/** Host candidates only (as the signaling server's tests run). */
export const noIceServers: ServerEnv = () => ({ ICE_SERVERS: '[]' });
/** coturn as a STUN server only. */
export const stunOnly: ServerEnv = (coturn) => ({ ICE_SERVERS: JSON.stringify([{ urls: coturn.stunUrl }]) });
/** TURN over UDP with REST credentials (TURN_URLS + TURN_SECRET); a TURN server answers STUN too. */
export const turnUdp: ServerEnv = (coturn) => ({ ICE_SERVERS: '[]', TURN_URLS: coturn.turnUrl, TURN_SECRET: coturn.secret });
/** What a deployment hands out for networks that drop UDP: STUN, and the same TURN server over UDP and TCP. */
export const turnUdpAndTcp: ServerEnv = (coturn) => ({
  ICE_SERVERS: JSON.stringify([{ urls: coturn.stunUrl }]),
  TURN_URLS: `${coturn.turnUrl},${coturn.turnTcpUrl}`,
  TURN_SECRET: coturn.secret,
});

/**
 * The impaired uplink: 1 Mbit/s each way (tbf, a 32 kbit = 4000-byte bucket, packets wait at most
 * 400 ms) and 3% random loss each way; 100 ms delay each way only when `netem` is available.
 */
export const impairedUplink = (netem: boolean): Impairment => ({ rateKbit: 1000, burstBytes: 4000, queueMs: 400, lossPct: 3, ...(netem ? { delayMs: 100 } : {}) });
/** The camera of the impaired-path call: larger than the default 160x120, so the cap has more to carry. */
export const IMPAIRED_VIDEO = '640x360@15';
