// What a receiver saw of one flow (frames from one peer) over a window of time, from the JSON
// lines participant.ts prints: frames per second and freezes (gaps > 500 ms between frames).
import type { LabParticipant } from './meshProcesses.ts';

export interface FlowWindow {
  frames: number;
  fps: number;
  /** Gaps between two received frames longer than 500 ms that ended inside the window. */
  freezes: number;
  /** The longest of those gaps, 0 if none. */
  longestFreezeMs: number;
}

export function flowOver(receiver: LabParticipant, peer: string, from: number, to: number): FlowWindow {
  const frames = receiver.framesFromAt(peer, to) - receiver.framesFromAt(peer, from);
  const freezes = receiver.events('freeze').filter((l) => l.peer === peer && Number(l.t) > from && Number(l.t) <= to);
  return {
    frames,
    fps: Math.round((frames / ((to - from) / 1000)) * 10) / 10,
    freezes: freezes.length,
    longestFreezeMs: Math.max(0, ...freezes.map((l) => Number(l.gapMs))),
  };
}

export const describeFlow = (f: FlowWindow): string =>
  `${f.fps} fps (${f.frames} frames), ${f.freezes} freezes${f.freezes > 0 ? ` (longest ${f.longestFreezeMs} ms)` : ''}`;
