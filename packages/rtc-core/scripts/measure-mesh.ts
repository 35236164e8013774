/**
 * Mesh formation time: N participants in one process join one room at the same moment through
 * the real signaling server; the figure is the time from the joins until every directed flow
 * (N*(N-1)) has delivered its first camera frame. For comparison, the floor: the same N-party
 * mesh of bare wrtc connections (same settings: max-bundle, 3 transceivers) wired by function
 * call in this process.
 *
 *   node --import tsx scripts/measure-mesh.ts [N=6] [runs=5]
 */
import wrtc from '@roamhq/wrtc';
import { MEDIA_SOURCES, TRANSCEIVER_KINDS } from '@meshmeet/protocol';
import os from 'node:os';
import {
  countFrames,
  createSyntheticAudio,
  createSyntheticVideo,
  createTestParticipant,
  startSignalingProcess,
  waitUntil,
  type FrameCounter,
  type SyntheticSource,
  type WrtcNonstandard,
} from '../test-utils/index.ts';
import type { WebRtcImplementation } from '../src/index.ts';

const nonstandard = wrtc.nonstandard as unknown as WrtcNonstandard;
const impl = wrtc as unknown as WebRtcImplementation;
const n = Number(process.argv[2] ?? 6);
const runs = Number(process.argv[3] ?? 5);

async function floor(): Promise<number> {
  const cams = Array.from({ length: n }, () => createSyntheticVideo(nonstandard));
  const mics = Array.from({ length: n }, () => createSyntheticAudio(nonstandard));
  const pcs: RTCPeerConnection[] = [];
  const counters: FrameCounter[] = [];
  const start = performance.now();
  const link = async (a: number, b: number): Promise<void> => {
    const [offerer, answerer] = [new impl.RTCPeerConnection({ bundlePolicy: 'max-bundle' }), new impl.RTCPeerConnection({ bundlePolicy: 'max-bundle' })];
    pcs.push(offerer, answerer);
    offerer.addEventListener('icecandidate', (e) => void answerer.addIceCandidate((e as RTCPeerConnectionIceEvent).candidate).catch(() => {}));
    answerer.addEventListener('icecandidate', (e) => void offerer.addIceCandidate((e as RTCPeerConnectionIceEvent).candidate).catch(() => {}));
    for (const source of MEDIA_SOURCES) {
      const track = source === 'camera' ? cams[a]!.track : source === 'mic' ? mics[a]!.track : null;
      offerer.addTransceiver(track ?? TRANSCEIVER_KINDS[source], { direction: 'sendrecv' });
    }
    const offer = await offerer.createOffer();
    await offerer.setLocalDescription(offer);
    await answerer.setRemoteDescription(offer);
    const transceivers = answerer.getTransceivers();
    transceivers.forEach((t) => (t.direction = 'sendrecv'));
    await Promise.all([transceivers[0]!.sender.replaceTrack(mics[b]!.track), transceivers[1]!.sender.replaceTrack(cams[b]!.track)]);
    const answer = await answerer.createAnswer();
    await answerer.setLocalDescription(answer);
    await offerer.setRemoteDescription(answer);
    counters.push(countFrames(nonstandard, offerer.getTransceivers()[1]!.receiver.track), countFrames(nonstandard, transceivers[1]!.receiver.track));
  };
  const links: Promise<void>[] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) links.push(link(a, b));
  await Promise.all(links);
  await waitUntil(() => counters.every((c) => c.firstFrameAt !== null), 'floor: every flow has a frame', 30_000, 5);
  const ms = Math.max(...counters.map((c) => c.firstFrameAt!)) - start;
  counters.forEach((c) => c.stop());
  pcs.forEach((pc) => pc.close());
  cams.forEach((c) => c.stop());
  mics.forEach((m) => m.stop());
  return ms;
}

async function engine(url: string, room: string): Promise<{ allMs: number; firstMs: number }> {
  const list = await Promise.all(Array.from({ length: n }, () => createTestParticipant({ url, webrtc: impl, nonstandard, camera: true, watch: ['camera'] })));
  const mics: SyntheticSource[] = [];
  for (const p of list) {
    const mic = createSyntheticAudio(nonstandard);
    mics.push(mic);
    await p.mesh.setLocalTrack('mic', mic.track);
  }
  // Sockets connect before the clock starts, as the benchmark's bots do.
  await waitUntil(() => list.every((p) => p.signaling.state === 'connected'), 'sockets connected');
  const start = performance.now();
  await Promise.all(list.map((p, i) => p.mesh.join({ room, name: `bot-${i}` })));
  const flows = () =>
    list.flatMap((me) => list.filter((o) => o !== me).map((other) => me.frames.firstFrameAt(other.mesh.selfId ?? '', 'camera')));
  await waitUntil(() => flows().every((t) => t !== null), 'engine: every flow has a frame', 30_000, 5);
  const times = flows().map((t) => t! - start);
  await Promise.all(list.map((p) => p.close()));
  mics.forEach((m) => m.stop());
  return { allMs: Math.max(...times), firstMs: Math.min(...times) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const server = await startSignalingProcess();
try {
  const floors: number[] = [];
  const meshes: number[] = [];
  for (let run = 0; run < runs; run++) {
    floors.push(await floor());
    const { allMs, firstMs } = await engine(server.url, `measure-${run}`);
    meshes.push(allMs);
    console.log(`run ${run + 1}: floor ${floors[run]!.toFixed(0)} ms | rtc-core all ${n * (n - 1)} flows ${allMs.toFixed(0)} ms (first flow ${firstMs.toFixed(0)} ms)`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const [f, m] = [median(floors), median(meshes)];
  console.log(`N=${n}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`median floor ${f.toFixed(0)} ms, median rtc-core ${m.toFixed(0)} ms, ratio ${(m / f).toFixed(2)}x`);
} finally {
  await server.stop();
}
// wrtc's native threads can abort a natural exit after many connections; everything is closed.
process.exit(0);
