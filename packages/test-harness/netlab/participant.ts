// One meshmeet participant as a process (run inside a lab namespace): rtc-core's Mesh over
// socket.io with wrtc and a synthetic camera. It reports what a user would notice as JSON lines
// on stdout, each with `t` = Date.now() so the test can line them up with its own actions.
//   env: NETLAB_URL, NETLAB_ROOM, NETLAB_NAME, NETLAB_ICE_SERVERS (JSON; unset = the server's),
//   NETLAB_RELAY_ONLY=1 (iceTransportPolicy 'relay'), NETLAB_VIDEO (e.g. 320x240@15; default 160x120@15), NETLAB_PC_EVENTS=1 (also print wrtc's raw state events),
//   NETLAB_STATS_MS (rtc-core's statsIntervalMs; each stats event prints its recent figures per peer)
import type { IceServer } from '@meshmeet/protocol';
import { Mesh } from '@meshmeet/rtc-core';
import { createSocketIoSignaling } from '@meshmeet/rtc-core/socket-io';
import { parseVideoFormat, SyntheticCamera } from '../src/media/SyntheticCamera.ts';
import { Ticker } from '../src/media/ticker.ts';
import { RTCVideoSink, webrtc, type VideoSink } from '../src/wrtc.ts';

const print = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify({ ...line, t: Date.now() })}\n`);
const env = (key: string): string => {
  const value = process.env[key];
  if (!value) throw new Error(`${key} is required`);
  return value;
};

/** A frame after a silence this long counts as "frames resumed". */
const GAP_MS = 1000;
/**
 * A gap between two received frames longer than this is a freeze, as a person would see it
 * (at 15 fps frames are 67 ms apart; 500 ms is 7 frames missing).
 */
const FREEZE_MS = 500;

// The raw peer connections, to read ICE credentials and the selected candidate pair, which the
// mesh does not expose (the same wrapping as rtc-core's countingWebRtc test helper).
const pcs: RTCPeerConnection[] = [];
const Base = webrtc.RTCPeerConnection;
const Tracked = function (configuration?: RTCConfiguration) {
  const pc = new Base(configuration);
  pcs.push(pc);
  // Diagnostics only (NETLAB_PC_EVENTS=1): which state events wrtc fires. Off by default because
  // reading the getters inside those events changes wrtc's timing and seemed to hide a bug.
  if (process.env.NETLAB_PC_EVENTS === '1') {
    for (const type of ['connectionstatechange', 'iceconnectionstatechange'] as const) {
      pc.addEventListener(type, () => print({ ev: 'pcEvent', type, state: type === 'connectionstatechange' ? pc.connectionState : pc.iceConnectionState }));
    }
  }
  return pc;
} as unknown as typeof RTCPeerConnection;

const iceServers = process.env.NETLAB_ICE_SERVERS ? (JSON.parse(process.env.NETLAB_ICE_SERVERS) as IceServer[]) : undefined;
const mesh = new Mesh({
  signaling: createSocketIoSignaling(env('NETLAB_URL'), { socketOptions: { forceNew: true } }),
  webrtc: { ...webrtc, RTCPeerConnection: Tracked },
  ...(iceServers ? { iceServers } : {}),
  ...(process.env.NETLAB_RELAY_ONLY === '1' ? { iceTransportPolicy: 'relay' as const } : {}),
  statsIntervalMs: Number(process.env.NETLAB_STATS_MS ?? 0),
});
mesh.on('stats', (stats) => print({ ev: 'stats', recent: Object.fromEntries([...stats].map(([id, s]) => [id, s.recent])) }));

const frames = new Map<string, { count: number; lastAt: number | null; freezes: number; maxGapMs: number; sink: VideoSink }>();
mesh.on('participantJoined', (p) => print({ ev: 'participantJoined', id: p.id, name: p.name }));
mesh.on('participantLeft', (p) => {
  print({ ev: 'participantLeft', id: p.id, name: p.name });
  frames.get(p.id)?.sink.stop();
  frames.delete(p.id);
});
mesh.on('connectionStateChanged', ({ participant, state }) => print({ ev: 'state', peer: participant.id, state }));
mesh.on('signalingStateChanged', (state) => print({ ev: 'signaling', state }));
mesh.on('error', (error) => print({ ev: 'error', code: error.code, message: error.message }));
mesh.on('trackAdded', ({ participant, source, track }) => {
  if (source !== 'camera') return;
  const peer = participant.id;
  frames.get(peer)?.sink.stop();
  const previous = frames.get(peer);
  const entry = { count: previous?.count ?? 0, lastAt: null as number | null, freezes: previous?.freezes ?? 0, maxGapMs: previous?.maxGapMs ?? 0, sink: new RTCVideoSink(track) };
  frames.set(peer, entry);
  entry.sink.onframe = () => {
    const now = Date.now();
    if (entry.lastAt === null) print({ ev: 'firstFrame', peer });
    else {
      const gap = now - entry.lastAt;
      if (gap > FREEZE_MS) {
        entry.freezes++;
        print({ ev: 'freeze', peer, gapMs: gap });
      }
      entry.maxGapMs = Math.max(entry.maxGapMs, gap);
      if (gap >= GAP_MS) print({ ev: 'framesResumed', peer, gapMs: gap });
    }
    entry.lastAt = now;
    entry.count++;
  };
});

const ticker = new Ticker();
const camera = new SyntheticCamera(parseVideoFormat(process.env.NETLAB_VIDEO ?? '160x120@15'), env('NETLAB_NAME'), ticker);
camera.start();
await mesh.setLocalTrack('camera', camera.track);

const timers: NodeJS.Timeout[] = [];
let ufrags: string[] = [];
let restarts = 0;
let rawStates = '';
let selfId: string | null = null;
timers.push(
  setInterval(() => {
    // A rejoin (after signaling was lost) may give this participant a new id: report it.
    if (selfId !== null && mesh.selfId !== null && mesh.selfId !== selfId) print({ ev: 'self', selfId: mesh.selfId });
    if (mesh.selfId !== null) selfId = mesh.selfId;
    print({
      ev: 'frames',
      counts: Object.fromEntries([...frames].map(([id, f]) => [id, f.count])),
      // Since the first frame: gaps longer than FREEZE_MS, and the longest gap.
      freezes: Object.fromEntries([...frames].map(([id, f]) => [id, f.freezes])),
      maxGapMs: Object.fromEntries([...frames].map(([id, f]) => [id, f.maxGapMs])),
    });
    // An ICE restart shows as a new local ufrag on the connection (on both sides).
    const now = pcs.map((pc) => /a=ice-ufrag:(\S+)/.exec(pc.localDescription?.sdp ?? '')?.[1] ?? '');
    const changed = now.filter((u, i) => ufrags[i] !== undefined && ufrags[i] !== '' && u !== ufrags[i]).length;
    if (changed > 0 || now.length !== ufrags.length) {
      restarts += changed;
      print({ ev: 'ice', ufrags: now, restarts });
    }
    ufrags = now;
    // wrtc's own state, polled: tells a missing connectionstatechange event from a real state.
    const raw = pcs.map((pc) => pc.connectionState).join(',');
    if (raw !== rawStates) print({ ev: 'pcState', states: raw.split(',') });
    rawStates = raw;
  }, 250),
);

let pair = '';
timers.push(
  setInterval(() => {
    void selectedPair().then((p) => {
      if (p && JSON.stringify(p) !== pair) {
        pair = JSON.stringify(p);
        print({ ev: 'pair', ...p });
      }
    });
  }, 1000),
);

/**
 * The first open connection's selected candidate pair: types, addresses and transports of both
 * ends. For a relay candidate, `relayProtocol` is how this side reaches the TURN server (udp,
 * tcp, tls) while `localProtocol` stays the relayed transport (udp).
 */
async function selectedPair(): Promise<Record<string, string | number> | null> {
  const pc = pcs.find((c) => c.connectionState === 'connected');
  if (!pc) return null;
  const stats = [...(await pc.getStats()).values()] as Array<Record<string, unknown>>;
  const byId = new Map(stats.map((s) => [s.id as string, s]));
  const transport = stats.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
  const chosen =
    (transport && byId.get(transport.selectedCandidatePairId as string)) ??
    stats.find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded');
  if (!chosen) return null;
  const local = byId.get(chosen.localCandidateId as string);
  const remote = byId.get(chosen.remoteCandidateId as string);
  const describe = (c: Record<string, unknown> | undefined): string => (c ? `${String(c.address ?? c.ip)}:${String(c.port)}` : '?');
  return {
    local: String(local?.candidateType),
    remote: String(remote?.candidateType),
    localAddress: describe(local),
    remoteAddress: describe(remote),
    localProtocol: String(local?.protocol),
    remoteProtocol: String(remote?.protocol),
    relayProtocol: String(local?.relayProtocol ?? ''),
    turnUrl: String(local?.url ?? ''),
  };
}

async function shutdown(): Promise<void> {
  for (const timer of timers) clearInterval(timer);
  await mesh.close().catch(() => undefined);
  camera.close();
  ticker.stop();
  for (const f of frames.values()) f.sink.stop();
  // wrtc can abort at exit after peer connections (WEBRTC-NOTES): leave explicitly.
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());

try {
  const joined = await mesh.join({ room: env('NETLAB_ROOM'), name: env('NETLAB_NAME') });
  selfId = joined.self.id;
  print({ ev: 'joined', selfId, peers: joined.peers.map((p) => p.id) });
} catch (error) {
  print({ ev: 'joinFailed', message: String(error) });
  await shutdown();
}
