import { cpus, loadavg } from 'node:os';
import type { BotReport } from '../bot/Bot.ts';
import { distribution, type Distribution } from '../stats.ts';
import type { CliOptions } from './args.ts';
import type { ParticipantReport } from './signalingRun.ts';
import { formatPath, mediaFailures, signalingFailures, summarizeFlows, summarizeMedia, type FlowSummary, type MediaSummary } from './summarize.ts';

/** Everything a run produced: written with --json, rendered as the table and the HTML report. */
export interface RunReport {
  mode: 'media' | 'signaling-only';
  startedAt: string;
  url: string;
  options: { rooms: string[]; count: number; durationMs: number; video: string | null; audio: boolean; followSteps: boolean; schedule: string };
  machine: { cpus: number; loadAverage: number[]; node: string };
  /** Bot process CPU over the run (media mode), seconds. */
  cpuSeconds: number | null;
  wallMs: number;
  bots: BotReport[];
  flows: FlowSummary[];
  media: MediaSummary | null;
  participants: ParticipantReport[];
  signaling: { joinMs: Distribution; negotiationMs: Distribution; pairsExpected: number; pairsNegotiated: number; rejections: number } | null;
  ok: boolean;
  failures: string[];
}

interface Meta {
  options: CliOptions;
  url: string;
  rooms: string[];
  startedAt: Date;
  wallMs: number;
}

function baseOf(meta: Meta): Pick<RunReport, 'startedAt' | 'url' | 'options' | 'machine' | 'wallMs'> {
  const { options } = meta;
  return {
    startedAt: meta.startedAt.toISOString(),
    url: meta.url,
    options: {
      rooms: meta.rooms,
      count: options.count,
      durationMs: options.durationMs,
      video: options.video ? `${options.video.width}x${options.video.height}@${options.video.fps}` : null,
      audio: options.audio,
      followSteps: options.followSteps,
      schedule: options.schedule.map((s) => `${s.source}:${s.on ? 'on' : 'off'}@${s.atMs}ms`).join(','),
    },
    machine: { cpus: cpus().length, loadAverage: loadavg().map((v) => Math.round(v * 100) / 100), node: process.version },
    wallMs: Math.round(meta.wallMs),
  };
}

export function mediaReport(meta: Meta, bots: BotReport[], cpuSeconds: number): RunReport {
  const flows = summarizeFlows(bots);
  const failures = mediaFailures(bots, flows);
  return {
    mode: 'media',
    ...baseOf(meta),
    cpuSeconds: Math.round(cpuSeconds * 100) / 100,
    bots,
    flows,
    media: summarizeMedia(bots, flows, meta.options.video?.fps ?? null),
    participants: [],
    signaling: null,
    ok: failures.length === 0,
    failures,
  };
}

export function signalingReport(meta: Meta, participants: ParticipantReport[]): RunReport {
  const failures = signalingFailures(participants);
  const perRoom = new Map<string, number>();
  for (const p of participants) if (p.joinMs !== null) perRoom.set(p.room, (perRoom.get(p.room) ?? 0) + 1);
  return {
    mode: 'signaling-only',
    ...baseOf(meta),
    cpuSeconds: null,
    bots: [],
    flows: [],
    media: null,
    participants,
    signaling: {
      joinMs: distribution(participants.map((p) => p.joinMs).filter((v): v is number => v !== null)),
      negotiationMs: distribution(participants.flatMap((p) => p.negotiationMs)),
      pairsExpected: [...perRoom.values()].reduce((n, k) => n + k * (k - 1), 0),
      pairsNegotiated: participants.reduce((n, p) => n + p.pairsNegotiated, 0),
      rejections: participants.reduce((n, p) => n + p.rejections.length, 0),
    },
    ok: failures.length === 0,
    failures,
  };
}

const ms = (v: number | null): string => (v === null ? '-' : `${Math.round(v)}`);
const kbpsLine = (d: Distribution): string => `mean ${ms(d.mean)} kbps, max ${ms(d.max)} kbps (n=${d.count})`;
const dist = (d: Distribution): string => `p50 ${ms(d.p50)} ms, p95 ${ms(d.p95)} ms, max ${ms(d.max)} ms (n=${d.count})`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The end-of-run text: a table of flows (or participants) and the summary lines. */
export function formatReport(report: RunReport): string {
  const out: string[] = [];
  if (report.mode === 'media' && report.media) {
    out.push(
      table(
        ['room', 'from', 'to', 'connected ms', 'first frame ms', 'fps', 'frames', 'audio pkts', 'path', 'rtt ms', 'uplink kbps video/all'],
        report.flows.map((f) => [f.room, f.from, f.to, ms(f.connectedMs), ms(f.firstFrameMs), f.meanFps === null ? '-' : f.meanFps.toFixed(1), String(f.framesReceived), String(f.audioPacketsReceived), formatPath(f.path), ms(f.path?.rttMs ?? null), f.uplinkKbps === null ? '-' : `${ms(f.uplinkVideoKbps)}/${ms(f.uplinkKbps)}`]),
      ),
    );
    const m = report.media;
    out.push(
      '',
      `participants ${m.joined}/${m.participants} joined; join ${dist(m.joinMs)}`,
      `connected ${dist(m.connectedMs)}`,
      `first frame ${dist(m.firstFrameMs)}`,
      `flows delivering ${m.flowsDelivered}/${m.flowsExpected}; mean received fps ${m.meanFps ?? '-'}${m.deliveredRatio === null ? '' : ` (${(m.deliveredRatio * 100).toFixed(1)}% of what was sent)`}`,
      `uplink video per link ${kbpsLine(m.uplinkVideoKbpsPerLink)}, per bot (sum of its links) ${kbpsLine(m.uplinkVideoKbpsPerBot)}`,
      `uplink all RTP per link ${kbpsLine(m.uplinkKbpsPerLink)}, per bot ${kbpsLine(m.uplinkKbpsPerBot)}`,
      `bot process CPU ${report.cpuSeconds ?? '-'} s over ${(report.wallMs / 1000).toFixed(1)} s on ${report.machine.cpus} cores (load ${report.machine.loadAverage.join(' ')})`,
    );
  } else if (report.signaling) {
    out.push(
      table(
        ['room', 'participant', 'join ms', 'negotiated', 'messages in', 'rejections'],
        report.participants.map((p) => [p.room, p.name, ms(p.joinMs), `${p.pairsNegotiated}/${p.roommates}`, String(p.messagesReceived), String(p.rejections.length)]),
      ),
    );
    const s = report.signaling;
    out.push('', `join ${dist(s.joinMs)}`, `negotiation ${dist(s.negotiationMs)}`, `directed negotiations ${s.pairsNegotiated}/${s.pairsExpected}; server rejections ${s.rejections}`);
  }
  out.push(report.ok ? 'OK' : `FAILED:\n  ${report.failures.join('\n  ')}`);
  return out.join('\n');
}
