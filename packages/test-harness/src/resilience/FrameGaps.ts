import type { Mesh } from '@meshmeet/rtc-core';
import { RTCVideoSink, type VideoSink } from '../wrtc.ts';

export interface FlowGap {
  peerId: string;
  frames: number;
  /** The longest time between two received frames since the last mark, counting the open gap up to now. */
  maxGapMs: number;
  lastFrameAgoMs: number | null;
}

interface Flow {
  sink: VideoSink;
  frames: number;
  last: number | null;
  maxGap: number;
}

/**
 * Watches every received camera track of a mesh frame by frame (an RTCVideoSink each) and keeps,
 * per remote peer, the longest gap between two frames: what a person sees as a frozen tile.
 */
export class FrameGaps {
  readonly #flows = new Map<string, Flow>();
  readonly #off: Array<() => void>;
  readonly #now: () => number;

  constructor(mesh: Mesh, now: () => number = () => performance.now()) {
    this.#now = now;
    const onTrack = mesh.on('trackAdded', ({ participant, source, track }) => {
      if (source !== 'camera') return;
      const previous = this.#flows.get(participant.id);
      previous?.sink.stop();
      const sink = new RTCVideoSink(track);
      const flow: Flow = { sink, frames: previous?.frames ?? 0, last: previous?.last ?? null, maxGap: previous?.maxGap ?? 0 };
      sink.onframe = () => {
        const at = this.#now();
        if (flow.last !== null) flow.maxGap = Math.max(flow.maxGap, at - flow.last);
        flow.last = at;
        flow.frames++;
      };
      this.#flows.set(participant.id, flow);
    });
    // A participant that left is no flow any more (its id never comes back).
    const onLeft = mesh.on('participantLeft', (participant) => {
      this.#flows.get(participant.id)?.sink.stop();
      this.#flows.delete(participant.id);
    });
    this.#off = [onTrack, onLeft];
  }

  /** Starts a new measuring window: gaps before it no longer count. */
  mark(): void {
    for (const flow of this.#flows.values()) flow.maxGap = 0;
  }

  snapshot(): FlowGap[] {
    const now = this.#now();
    return [...this.#flows].map(([peerId, flow]) => ({
      peerId,
      frames: flow.frames,
      maxGapMs: Math.round(Math.max(flow.maxGap, flow.last === null ? 0 : now - flow.last)),
      lastFrameAgoMs: flow.last === null ? null : Math.round(now - flow.last),
    }));
  }

  stop(): void {
    for (const off of this.#off) off();
    for (const flow of this.#flows.values()) flow.sink.stop();
    this.#flows.clear();
  }
}
