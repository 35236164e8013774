import type { LinkPath, PeerStats } from '@meshmeet/rtc-core';
import { RTCVideoSink, type VideoSink } from '../wrtc.ts';

/** What a bot records about one remote peer. Times are ms on the run's clock (see Bot `origin`). */
export interface PeerRecord {
  peerId: string;
  name: string;
  /** When this bot learned of the peer (join answer or peer-joined). */
  discoveredAt: number;
  connectedAt: number | null;
  firstFrameAt: number | null;
  /** Received camera fps over time: [time, fps] per stats sample. */
  fps: Array<[number, number]>;
  framesReceived: number;
  audioPacketsReceived: number;
  /**
   * What this bot sent on the link over time (rtc-core's outboundKbps and outboundVideoKbps):
   * [time, all RTP kbps, video kbps] per stats sample after the first.
   */
  uplinkKbps: Array<[number, number, number]>;
  states: Array<{ at: number; state: RTCPeerConnectionState }>;
  /** How the link is connected (selected candidate pair, latest sample); null until known. */
  path: LinkPath | null;
  leftAt: number | null;
}

/** How received frames are counted: from getStats (cheap) or by a sink on every frame. */
export type FrameCounting = 'stats' | 'sink';

/**
 * Records one remote peer. The first camera frame is caught by an RTCVideoSink; afterwards, in
 * 'stats' mode, the sink is stopped and frames are counted from getStats' framesDecoded, because a
 * wrtc sink copies every decoded frame into a new JS buffer.
 */
export class PeerRecorder {
  readonly record: PeerRecord;
  private sink: VideoSink | null = null;
  private sinkFrames = 0;
  private lastSample: { at: number; frames: number } | null = null;

  constructor(
    peerId: string,
    name: string,
    private readonly now: () => number,
    private readonly counting: FrameCounting,
  ) {
    this.record = { peerId, name, discoveredAt: now(), connectedAt: null, firstFrameAt: null, fps: [], framesReceived: 0, uplinkKbps: [], audioPacketsReceived: 0, states: [], path: null, leftAt: null };
  }

  onState(state: RTCPeerConnectionState): void {
    const last = this.record.states[this.record.states.length - 1];
    if (last?.state === state) return; // wrtc may repeat a state
    this.record.states.push({ at: this.now(), state });
    if (state === 'connected' && this.record.connectedAt === null) this.record.connectedAt = this.now();
  }

  /** Watches the remote camera track for its first frame (and every frame in 'sink' mode). */
  watchCamera(track: MediaStreamTrack): void {
    this.sink?.stop();
    const sink = new RTCVideoSink(track);
    this.sink = sink;
    sink.onframe = () => {
      if (this.record.firstFrameAt === null) this.record.firstFrameAt = this.now();
      this.sinkFrames++;
      if (this.counting === 'stats') {
        sink.stop();
        this.sink = null;
      }
    };
  }

  /** Takes a stats sample: rtc-core's cumulative counters and the rates since its previous sample. */
  onStats(stats: Pick<PeerStats, 'framesDecoded' | 'audioPacketsReceived' | 'path' | 'outboundKbps' | 'outboundVideoKbps'>): void {
    const { framesDecoded, audioPacketsReceived, path } = stats;
    const at = this.now();
    // A sample between pairs (an ICE restart) keeps the last known path.
    if (path) this.record.path = { ...path };
    const frames = this.counting === 'sink' ? this.sinkFrames : framesDecoded;
    this.record.audioPacketsReceived = audioPacketsReceived;
    if (this.lastSample && at > this.lastSample.at) {
      const fps = ((frames - this.lastSample.frames) * 1000) / (at - this.lastSample.at);
      this.record.fps.push([Math.round(at), Math.round(Math.max(0, fps) * 10) / 10]);
      // rtc-core's first sample of a link has no previous one to take a rate from (0).
      const round = (kbps: number): number => Math.round(kbps * 10) / 10;
      this.record.uplinkKbps.push([Math.round(at), round(stats.outboundKbps), round(stats.outboundVideoKbps)]);
    }
    this.record.framesReceived = Math.max(this.record.framesReceived, frames);
    this.lastSample = { at, frames };
  }

  left(): void {
    this.record.leftAt = this.now();
    this.close();
  }

  close(): void {
    this.sink?.stop();
    this.sink = null;
  }
}
