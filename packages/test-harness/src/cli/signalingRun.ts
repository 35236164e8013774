import { SignalingParticipant } from '../signaling-only/SignalingParticipant.ts';
import type { RoomProgress } from './progress.ts';

export interface ParticipantReport {
  name: string;
  room: string;
  selfId: string | null;
  joinMs: number | null;
  /** Others in the room at the end of the run, as this participant knew them. */
  roommates: number;
  pairsNegotiated: number;
  /** Per pair: ms from learning of the peer to having its description and end of candidates. */
  negotiationMs: number[];
  messagesReceived: number;
  /** Codes the server answered with (e.g. RATE_LIMITED). */
  rejections: string[];
  error: string | null;
}

export interface SignalingRunOptions {
  url: string;
  rooms: string[];
  count: number;
  durationMs: number;
  rampMs: number;
  onProgress?: (elapsedMs: number, rooms: RoomProgress[]) => void;
}

/** The CLI's --signaling-only run: simulated participants negotiate through the real protocol. */
export async function runSignalingOnly(options: SignalingRunOptions): Promise<ParticipantReport[]> {
  const all: Array<{ p: SignalingParticipant; room: string; name: string; error: string | null }> = [];
  for (const room of options.rooms) {
    for (let i = 1; i <= options.count; i++) {
      const name = `sim-${room}-${i}`;
      all.push({ p: new SignalingParticipant({ url: options.url, room, name }), room, name, error: null });
    }
  }
  const start = performance.now();
  const progress = (): void =>
    options.onProgress?.(
      performance.now() - start,
      options.rooms.map((room) => {
        const members = all.filter((m) => m.room === room);
        const directed = members.reduce((n, m) => n + m.p.negotiatedPairs, 0);
        return { room, joined: members.filter((m) => m.p.joinedAt !== null).length, total: members.length, pairsDone: Math.floor(directed / 2), pairs: (members.length * (members.length - 1)) / 2, fps: null };
      }),
    );
  const timer = setInterval(progress, 1000);
  const joins: Array<Promise<unknown>> = [];
  for (const member of all) {
    joins.push(member.p.join().catch((error: unknown) => (member.error = error instanceof Error ? `${(error as { code?: string }).code ?? ''} ${error.message}`.trim() : String(error))));
    if (options.rampMs > 0) await new Promise((resolve) => setTimeout(resolve, options.rampMs));
  }
  await Promise.all(joins);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, options.durationMs - (performance.now() - start))));
  clearInterval(timer);
  progress();
  const reports = all.map(({ p, room, name, error }): ParticipantReport => ({
    name,
    room,
    selfId: p.selfId,
    joinMs: p.joinedAt === null ? null : Math.round((p.joinedAt - p.joinStartedAt) * 10) / 10,
    roommates: p.pairs.size,
    pairsNegotiated: p.negotiatedPairs,
    negotiationMs: [...p.pairs.values()].filter((x) => x.endOfCandidatesAt !== null && x.descriptionReceivedAt !== null).map((x) => Math.round((Math.max(x.endOfCandidatesAt ?? 0, x.descriptionReceivedAt ?? 0) - x.discoveredAt) * 10) / 10),
    messagesReceived: p.messagesReceived,
    rejections: [...p.errors],
    error,
  }));
  await Promise.all(all.map(({ p }) => p.leave()));
  return reports;
}
