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
  /** The sender's camera fps at the same samples (its steps), the mean; null without samples or formats. */
  sentFps: number | null;
  framesReceived: number;
  audioPacketsReceived: number;
  /** The receiver's link to the sender: selected candidate pair, last sample. */
  path: LinkPath | null;
  /**
   * What the sender sent on this link, from its stats samples: the mean of all RTP (audio and
   * video), the mean and max of video; null without samples.
   */
  uplinkKbps: number | null;
  uplinkVideoKbps: number | null;
  uplinkVideoMaxKbps: number | null;
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
  /**
   * Received fps / sent fps over expected flows: the sum of their meanFps over the sum of their
   * sentFps (the camera's stepped rate), or over the nominal fps where a flow has no sentFps.
   */
  deliveredRatio: number | null;
  /** The flows' mean uplink kbps (video; all RTP), and per bot the sum of its links' means. */
  uplinkVideoKbpsPerLink: Distribution;
  uplinkKbpsPerLink: Distribution;
  uplinkVideoKbpsPerBot: Distribution;
  uplinkKbpsPerBot: Distribution;
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
      flows.push({ room: receiver.room, from: sender.name, to: receiver.name, expected: sender.cameraOn.length > 0, connectedMs: null, firstFrameMs: null, meanFps: null, sentFps: null, framesReceived: 0, audioPacketsReceived: 0, path: null, ...uplinkOf(sender, receiver.selfId) });
    }
  }
  return flows;
}

function flowOf(receiver: BotReport, peer: BotReport['peers'][number], sender: BotReport | undefined): FlowSummary {
  const since = (t: number | null): number | null => (t === null ? null : Math.round(t - peer.discoveredAt));
  const samples = peer.firstFrameAt === null ? [] : peer.fps.filter(([t]) => t >= (peer.firstFrameAt ?? 0) + 1000);
  const steady = samples.map(([, fps]) => fps);
  const sent = sender ? samples.map(([t]) => sentFpsAt(sender, t)).filter((v): v is number => v !== null) : [];
  return {
    room: receiver.room,
    from: sender?.name ?? peer.name,
    to: receiver.name,
    expected: sender !== undefined && sender.cameraOn.length > 0,
    connectedMs: since(peer.connectedAt),
    firstFrameMs: since(peer.firstFrameAt),
    meanFps: steady.length ? Math.round((steady.reduce((a, b) => a + b, 0) / steady.length) * 10) / 10 : null,
    sentFps: sent.length ? round1(sent.reduce((a, b) => a + b, 0) / sent.length) : null,
    framesReceived: peer.framesReceived,
    audioPacketsReceived: peer.audioPacketsReceived,
    path: peer.path,
    ...uplinkOf(sender, receiver.selfId),
  };
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

/** The fps of the sender's camera format in force at `t` (the last step before it). */
function sentFpsAt(sender: BotReport, t: number): number | null {
  let fps: number | null = null;
  for (const format of sender.cameraFormats) if (format.at <= t) fps = format.fps;
  return fps;
}

/** The sender's uplink samples on its link to `to` (every record of that peer: it may have left and come back). */
function uplinkOf(sender: BotReport | undefined, to: string | null): Pick<FlowSummary, 'uplinkKbps' | 'uplinkVideoKbps' | 'uplinkVideoMaxKbps'> {
  const samples = sender?.peers.filter((p) => p.peerId === to).flatMap((p) => p.uplinkKbps) ?? [];
  if (!samples.length) return { uplinkKbps: null, uplinkVideoKbps: null, uplinkVideoMaxKbps: null };
  const mean = (i: 1 | 2): number => round1(samples.reduce((n, s) => n + s[i], 0) / samples.length);
  return { uplinkKbps: mean(1), uplinkVideoKbps: mean(2), uplinkVideoMaxKbps: round1(Math.max(...samples.map((s) => s[2]))) };
}

/** Per bot, the sum of its links' mean uplink. */
function perBot(bots: readonly BotReport[], flows: readonly FlowSummary[], key: 'uplinkKbps' | 'uplinkVideoKbps'): Distribution {
  return distribution(
    bots.flatMap((b) => {
      const links = flows.filter((f) => f.room === b.room && f.from === b.name && f[key] !== null);
      return links.length ? [links.reduce((n, f) => n + (f[key] ?? 0), 0)] : [];
    }),
  );
}

/** A path in a table cell: `host/host udp`, `relay(tls)/srflx udp`. */
export function formatPath(path: LinkPath | null): string {
  if (!path) return '-';
  return `${path.local}${path.relayProtocol ? `(${path.relayProtocol})` : ''}/${path.remote} ${path.protocol}`;
}

export function summarizeMedia(bots: readonly BotReport[], flows: readonly FlowSummary[], nominalFps: number | null): MediaSummary {
  const expected = flows.filter((f) => f.expected);
  const flowing = expected.filter((f) => f.meanFps !== null);
  const fpsValues = flowing.map((f) => f.meanFps ?? 0);
  const meanFps = fpsValues.length ? Math.round((fpsValues.reduce((a, b) => a + b, 0) / fpsValues.length) * 10) / 10 : null;
  const sentSum = flowing.reduce((n, f) => n + (f.sentFps ?? nominalFps ?? 0), 0);
  return {
    participants: bots.length,
    joined: bots.filter((b) => b.joinedAt !== null).length,
    joinMs: distribution(bots.filter((b) => b.joinedAt !== null).map((b) => (b.joinedAt ?? 0) - b.joinStartedAt)),
    connectedMs: distribution(flows.map((f) => f.connectedMs).filter((v): v is number => v !== null)),
    firstFrameMs: distribution(flows.map((f) => f.firstFrameMs).filter((v): v is number => v !== null)),
    flowsExpected: expected.length,
    flowsDelivered: expected.filter((f) => f.firstFrameMs !== null).length,
    meanFps,
    deliveredRatio: meanFps !== null && sentSum > 0 ? Math.round((fpsValues.reduce((a, b) => a + b, 0) / sentSum) * 1000) / 1000 : null,
    uplinkVideoKbpsPerLink: distribution(flows.map((f) => f.uplinkVideoKbps).filter((v): v is number => v !== null)),
    uplinkKbpsPerLink: distribution(flows.map((f) => f.uplinkKbps).filter((v): v is number => v !== null)),
    uplinkVideoKbpsPerBot: perBot(bots, flows, 'uplinkVideoKbps'),
    uplinkKbpsPerBot: perBot(bots, flows, 'uplinkKbps'),
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
