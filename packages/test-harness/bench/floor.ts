/**
 * The P1 floor: an N-party mesh of bare wrtc peer connections wired directly in one process (no
 * server: descriptions and candidates are handed over by function call), with the same synthetic
 * camera and mic as the bots and the same connection settings as rtc-core (max-bundle, three
 * sendrecv transceivers). Measures the time until every directed flow delivered a first frame.
 */
import { SyntheticCamera, type VideoFormat } from '../src/media/SyntheticCamera.ts';
import { SyntheticMic } from '../src/media/SyntheticMic.ts';
import { Ticker } from '../src/media/ticker.ts';
import { RTCVideoSink, webrtc, type VideoSink } from '../src/wrtc.ts';

export interface FloorResult {
  n: number;
  /** ms from the start until all N(N-1)/2 connections were `connected`. */
  allConnectedMs: number;
  /** ms from the start until all N(N-1) directed flows delivered a video frame. */
  allFirstFrameMs: number;
  firstFrameMs: number[];
}

export interface FloorMesh {
  /** Resolves once every directed flow delivered a frame (or after the timeout). */
  formed: Promise<FloorResult>;
  /** Camera frames decoded so far over every connection (from getStats, as the bots count). */
  framesDecoded(): Promise<number>;
  /** Camera frames handed to the sources so far. */
  framesSent(): number;
  close(): void;
}

export interface MediaClocks {
  video: Ticker;
  audio: Ticker;
}

/** Wires an N-party mesh by function call and starts the media; see the module comment. */
export function startFloorMesh(n: number, video: VideoFormat, clocks: MediaClocks, timeoutMs = 30_000): FloorMesh {
  const cams = Array.from({ length: n }, (_, i) => new SyntheticCamera(video, `floor ${i}`, clocks.video, i * 60));
  const mics = Array.from({ length: n }, () => new SyntheticMic(clocks.audio));
  cams.forEach((c) => c.start());
  mics.forEach((m) => m.start());
  let closing = false;
  const pcs: RTCPeerConnection[] = [];
  const sinks: VideoSink[] = [];
  const flows = n * (n - 1);
  const pairs = (n * (n - 1)) / 2;
  const firstFrameMs: number[] = [];
  let connected = 0;
  let allConnectedMs = Number.NaN;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const start = performance.now();

  const watchFrames = (pc: RTCPeerConnection): void => {
    const track = pc.getTransceivers()[1]?.receiver.track;
    if (!track) return;
    const sink = new RTCVideoSink(track);
    sinks.push(sink);
    sink.onframe = () => {
      sink.stop();
      firstFrameMs.push(performance.now() - start);
      if (firstFrameMs.length === flows) done();
    };
  };

  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const offerer = new webrtc.RTCPeerConnection({ bundlePolicy: 'max-bundle' });
      const answerer = new webrtc.RTCPeerConnection({ bundlePolicy: 'max-bundle' });
      pcs.push(offerer, answerer);
      let pairConnected = false;
      offerer.addEventListener('connectionstatechange', () => {
        if (offerer.connectionState === 'connected' && !pairConnected) {
          pairConnected = true;
          if (++connected === pairs) allConnectedMs = performance.now() - start;
        }
      });
      offerer.addEventListener('icecandidate', (e) => void answerer.addIceCandidate(e.candidate ?? undefined).catch(() => undefined));
      answerer.addEventListener('icecandidate', (e) => void offerer.addIceCandidate(e.candidate ?? undefined).catch(() => undefined));
      offerer.addTransceiver(mics[a]!.track, { direction: 'sendrecv' });
      offerer.addTransceiver(cams[a]!.track, { direction: 'sendrecv' });
      offerer.addTransceiver('video', { direction: 'sendrecv' });
      watchFrames(offerer);
      void (async () => {
        const offer = await offerer.createOffer();
        await offerer.setLocalDescription(offer);
        await answerer.setRemoteDescription(offer);
        const [t0, t1, t2] = answerer.getTransceivers();
        for (const t of [t0, t1, t2]) t!.direction = 'sendrecv';
        await t0!.sender.replaceTrack(mics[b]!.track);
        await t1!.sender.replaceTrack(cams[b]!.track);
        watchFrames(answerer);
        const answer = await answerer.createAnswer();
        await answerer.setLocalDescription(answer);
        await offerer.setRemoteDescription(answer);
      })().catch((error: unknown) => {
        // A step still in flight when close() ran fails on the closed pc; that is not a result.
        if (!closing) console.error('floor: negotiation failed', error);
      });
    }
  }

  const timer = setTimeout(done, timeoutMs);
  const formed = finished.then(() => {
    clearTimeout(timer);
    const allFirstFrameMs = firstFrameMs.length === flows ? Math.max(...firstFrameMs) : Number.NaN;
    return { n, allConnectedMs, allFirstFrameMs, firstFrameMs: [...firstFrameMs] };
  });
  return {
    formed,
    async framesDecoded() {
      let total = 0;
      for (const pc of pcs) {
        const report = await pc.getStats();
        report.forEach((entry: { type: string; kind?: string; framesDecoded?: number }) => {
          if (entry.type === 'inbound-rtp' && entry.kind === 'video') total += entry.framesDecoded ?? 0;
        });
      }
      return total;
    },
    framesSent: () => cams.reduce((n, c) => n + c.framesSent, 0),
    close() {
      closing = true;
      clearTimeout(timer);
      for (const sink of sinks) if (!sink.stopped) sink.stop();
      for (const pc of pcs) pc.close();
      cams.forEach((c) => c.close());
      mics.forEach((m) => m.close());
    },
  };
}

/** P1's floor: forms the mesh, measures, tears it down. */
export async function runFloorMesh(n: number, video: VideoFormat, timeoutMs = 30_000): Promise<FloorResult> {
  const clocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
  const mesh = startFloorMesh(n, video, clocks, timeoutMs);
  const result = await mesh.formed;
  mesh.close();
  clocks.video.stop();
  clocks.audio.stop();
  return result;
}
