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

export async function runFloorMesh(n: number, video: VideoFormat, timeoutMs = 30_000): Promise<FloorResult> {
  const videoTicker = new Ticker();
  const audioTicker = new Ticker({ maxCatchUp: 5 });
  const cams = Array.from({ length: n }, (_, i) => new SyntheticCamera(video, `floor ${i}`, videoTicker, i * 60));
  const mics = Array.from({ length: n }, () => new SyntheticMic(audioTicker));
  cams.forEach((c) => c.start());
  mics.forEach((m) => m.start());
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
      for (const pc of [offerer, answerer]) {
        pc.addEventListener('connectionstatechange', () => {
          if (pc === offerer && pc.connectionState === 'connected' && !pairConnected) {
            pairConnected = true;
            if (++connected === pairs) allConnectedMs = performance.now() - start;
          }
        });
      }
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
        const [t0, t1] = answerer.getTransceivers();
        t0!.direction = 'sendrecv';
        t1!.direction = 'sendrecv';
        await t0!.sender.replaceTrack(mics[b]!.track);
        await t1!.sender.replaceTrack(cams[b]!.track);
        answerer.getTransceivers()[2]!.direction = 'sendrecv';
        watchFrames(answerer);
        const answer = await answerer.createAnswer();
        await answerer.setLocalDescription(answer);
        await offerer.setRemoteDescription(answer);
      })();
    }
  }

  const timer = setTimeout(done, timeoutMs);
  await finished;
  clearTimeout(timer);
  const allFirstFrameMs = firstFrameMs.length === flows ? Math.max(...firstFrameMs) : Number.NaN;
  for (const sink of sinks) if (!sink.stopped) sink.stop();
  for (const pc of pcs) pc.close();
  cams.forEach((c) => c.close());
  mics.forEach((m) => m.close());
  videoTicker.stop();
  audioTicker.stop();
  return { n, allConnectedMs, allFirstFrameMs, firstFrameMs };
}
