import type { LinkPath } from '@meshmeet/rtc-core';
import type { BotReport } from '../bot/Bot.ts';
import { distribution, type Distribution } from '../stats.ts';
import type { ParticipantReport } from './signalingRun.ts';

/** One directed media flow: `from`'s camera as received by `to`. */
export interface FlowSummary {
  room: string;
  from: string;
  to: string;
  /** Both are bots of this run and the sender's camera was on: the flow must deliver frames. */
  expected: boolean;
  /** ms from the receiver learning of the sender to `connected` / the first camera frame. */
  connectedMs: number | null;
  firstFrameMs: number | null;
  /** Mean received fps once flowing (samples from 1 s after the first frame). */
  meanFps: number | null;
  framesReceived: number;
  audioPacketsReceived: number;
  /** The receiver's link to the sender: selected candidate pair, last sample. */
  path: LinkPath | null;
}

export interface MediaSummary {
  participants: number;
  joined: number;
  joinMs: Distribution;
  connectedMs: Distribution;
  firstFrameMs: Distribution;
  flowsExpected: number;
  flowsDelivered: number;
  /** Mean of the flows' mean fps. */
  meanFps: number | null;
  /** Received frames / (nominal fps x time flowing), over expected flows. */
  deliveredRatio: number | null;
}

export function summarizeFlows(bots: readonly BotReport[]): FlowSummary[] {
  const flows: FlowSummary[] = [];
  const joined = bots.filter((b) => b.joinedAt !== null && b.selfId !== null);
  for (const receiver of joined) {
    const seen = new Set<string>();
    for (const peer of receiver.peers) {
      seen.add(peer.peerId);
      const sender = joined.find((b) => b.selfId === peer.peerId);
      flows.push(flowOf(receiver, peer, sender));
    }
    // A roommate the receiver never heard of is a failed flow too.
    for (const sender of joined) {
      if (sender === receiver || sender.room !== receiver.room || seen.has(sender.selfId ?? '')) continue;
      flows.push({ room: receiver.room, from: sender.name, to: receiver.name, expected: sender.cameraOn.length > 0, connectedMs: null, firstFrameMs: null, meanFps: null, framesReceived: 0, audioPacketsReceived: 0, path: null });
    }
  }
  return flows;
}

function flowOf(receiver: BotReport, peer: BotReport['peers'][number], sender: BotReport | undefined): FlowSummary {
  const since = (t: number | null): number | null => (t === null ? null : Math.round(t - peer.discoveredAt));
  const steady = peer.firstFrameAt === null ? [] : peer.fps.filter(([t]) => t >= (peer.firstFrameAt ?? 0) + 1000).map(([, fps]) => fps);
  return {
    room: receiver.room,
    from: sender?.name ?? peer.name,
    to: receiver.name,
    expected: sender !== undefined && sender.cameraOn.length > 0,
    connectedMs: since(peer.connectedAt),
    firstFrameMs: since(peer.firstFrameAt),
    meanFps: steady.length ? Math.round((steady.reduce((a, b) => a + b, 0) / steady.length) * 10) / 10 : null,
    framesReceived: peer.framesReceived,
    audioPacketsReceived: peer.audioPacketsReceived,
    path: peer.path,
  };
}

/** A path in a table cell: `host/host udp`, `relay(tls)/srflx udp`. */
export function formatPath(path: LinkPath | null): string {
  if (!path) return '-';
  return `${path.local}${path.relayProtocol ? `(${path.relayProtocol})` : ''}/${path.remote} ${path.protocol}`;
}

export function summarizeMedia(bots: readonly BotReport[], flows: readonly FlowSummary[], nominalFps: number | null): MediaSummary {
  const expected = flows.filter((f) => f.expected);
  const fpsValues = expected.map((f) => f.meanFps).filter((v): v is number => v !== null);
  const meanFps = fpsValues.length ? Math.round((fpsValues.reduce((a, b) => a + b, 0) / fpsValues.length) * 10) / 10 : null;
  return {
    participants: bots.length,
    joined: bots.filter((b) => b.joinedAt !== null).length,
    joinMs: distribution(bots.filter((b) => b.joinedAt !== null).map((b) => (b.joinedAt ?? 0) - b.joinStartedAt)),
    connectedMs: distribution(flows.map((f) => f.connectedMs).filter((v): v is number => v !== null)),
    firstFrameMs: distribution(flows.map((f) => f.firstFrameMs).filter((v): v is number => v !== null)),
    flowsExpected: expected.length,
    flowsDelivered: expected.filter((f) => f.firstFrameMs !== null).length,
    meanFps,
    deliveredRatio: meanFps !== null && nominalFps ? Math.round((meanFps / nominalFps) * 1000) / 1000 : null,
  };
}

/** Why the run failed (empty = success): a participant that never joined, a flow with no frame. */
export function mediaFailures(bots: readonly BotReport[], flows: readonly FlowSummary[]): string[] {
  const failures: string[] = [];
  for (const bot of bots) if (bot.joinedAt === null) failures.push(`${bot.name} never joined ${bot.room}${bot.error ? ` (${bot.error})` : ''}`);
  for (const flow of flows) if (flow.expected && flow.firstFrameMs === null) failures.push(`no video frame from ${flow.from} to ${flow.to} in ${flow.room}`);
  return failures;
}

export function signalingFailures(participants: readonly ParticipantReport[]): string[] {
  const failures: string[] = [];
  for (const p of participants) {
    if (p.joinMs === null) failures.push(`${p.name} never joined ${p.room}${p.error ? ` (${p.error})` : ''}`);
    else if (p.pairsNegotiated < p.roommates) failures.push(`${p.name} completed ${p.pairsNegotiated} of ${p.roommates} negotiations in ${p.room}`);
  }
  return failures;
}
