/**
 * P7 calls across networks (issue 9), in the NAT lab (netlab/, root only): participant processes
 * (rtc-core Mesh + wrtc, 160x120@15 camera) in home namespaces, the signaling server and coturn
 * on the public network.
 * - Join to first frame per path: direct (routed homes, host candidates), STUN through two cone
 *   NATs, TURN/UDP (two symmetric NATs), TURN/TCP (one home drops UDP). Two participants start
 *   together; the time runs from the later join answer to the first frame of the later of the two
 *   directions. Each run is a fresh lab; the selected pair is printed beside it.
 * - The impaired uplink (the test's settings, 640x360@15): fps and freezes (gaps > 500 ms) per flow.
 * - coturn's CPU per relayed stream: N participants, one per home, relay candidates only, so
 *   each of the N(N-1) directed video flows passes through coturn; utime+stime of turnserver from
 *   /proc over a window, and the packets clients sent into coturn (the public bridge's rx).
 */
import { describeFlow, flowOver, type FlowWindow } from '../netlab/flows.ts';
import { withLab, type Lab } from '../netlab/lab.ts';
import { LabParticipant, startCoturn, startLabSignaling, type Coturn } from '../netlab/meshProcesses.ts';
import type { HomeSpec, ImpairCounters } from '../netlab/plan.ts';
import { netemAvailable, netlabUnsupportedReason, turnserverUnsupportedReason } from '../netlab/run.ts';
import { IMPAIRED_VIDEO, impairedUplink, noIceServers, stunOnly, turnUdp, turnUdpAndTcp, type ServerEnv } from '../netlab/scenarios.ts';
import { fmt, load, printTable, processCpuSeconds, sleep } from './lib.ts';

export interface P7Options {
  runs: number;
  impairedMs: number;
  cpuSizes: number[];
  cpuWindowMs: number;
  cpuVideo: string;
}

interface Scenario {
  name: string;
  homes: [HomeSpec, HomeSpec];
  servers: ServerEnv;
}

const SCENARIOS: Scenario[] = [
  { name: 'direct (routed, host)', homes: [{ name: 'a', nat: 'none' }, { name: 'b', nat: 'none' }], servers: noIceServers },
  { name: 'STUN, cone NATs', homes: [{ name: 'a', nat: 'cone' }, { name: 'b', nat: 'cone' }], servers: stunOnly },
  { name: 'TURN/UDP, symmetric NATs', homes: [{ name: 'a', nat: 'symmetric' }, { name: 'b', nat: 'symmetric' }], servers: turnUdp },
  { name: 'TURN/TCP, UDP blocked in a', homes: [{ name: 'a', nat: 'cone', blockUdp: true }, { name: 'b', nat: 'cone' }], servers: turnUdpAndTcp },
];

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

async function startPair(lab: Lab, servers: ServerEnv, room: string, video?: string): Promise<{ coturn: Coturn; alice: LabParticipant; bob: LabParticipant }> {
  const coturn = await startCoturn(lab);
  const server = await startLabSignaling(lab, { ...servers(coturn), LOG_LEVEL: 'warn' });
  const [alice, bob] = await Promise.all([
    LabParticipant.start(lab, 'a', { url: server.url, room, name: 'alice', ...(video ? { video } : {}) }),
    LabParticipant.start(lab, 'b', { url: server.url, room, name: 'bob', ...(video ? { video } : {}) }),
  ]);
  return { coturn, alice, bob };
}

interface FirstFrameRun {
  scenario: string;
  ms: number;
  pair: string;
  load: string;
}

async function firstFrameRun(scenario: Scenario, run: number): Promise<FirstFrameRun> {
  return withLab({ homes: scenario.homes }, async (lab) => {
    const { alice, bob } = await startPair(lab, scenario.servers, `p7-${run}`);
    await Promise.all([alice.waitForFrames(bob.selfId!, 1, 30_000), bob.waitForFrames(alice.selfId!, 1, 30_000)]);
    const joinedAt = Math.max(...[alice, bob].map((p) => Number(p.events('joined')[0]?.t)));
    const firstAt = Math.max(...[alice, bob].map((p) => Number(p.events('firstFrame')[0]?.t)));
    const pairLine = await alice.process.waitFor((l) => l.ev === 'pair', 'alice reports her pair', 10_000).catch(() => null);
    const pair = pairLine
      ? `${String(pairLine.local)}${pairLine.relayProtocol ? `/${String(pairLine.relayProtocol)}` : ''} -> ${String(pairLine.remote)}`
      : '?';
    return { scenario: scenario.name, ms: firstAt - joinedAt, pair, load: load() };
  });
}

interface ImpairedResult {
  impairment: string;
  counters: ImpairCounters;
  seconds: number;
  flows: Array<{ flow: string } & FlowWindow>;
}

async function impairedRun(ms: number): Promise<ImpairedResult> {
  const impairment = impairedUplink(await netemAvailable());
  return withLab({ homes: [{ name: 'a', nat: 'cone' }, { name: 'b', nat: 'cone' }] }, async (lab) => {
    const { alice, bob } = await startPair(lab, stunOnly, 'p7-impaired', IMPAIRED_VIDEO);
    await Promise.all([alice.waitForFrames(bob.selfId!, 30), bob.waitForFrames(alice.selfId!, 30)]);
    await lab.impair('a', 'wan', impairment);
    const from = Date.now();
    await sleep(ms);
    const to = Date.now();
    return {
      impairment: JSON.stringify(impairment),
      counters: await lab.impairmentCounters('a', 'wan'),
      seconds: (to - from) / 1000,
      flows: [
        { flow: 'bob -> alice (into the impaired home)', ...flowOver(alice, bob.selfId!, from, to) },
        { flow: 'alice -> bob (out of it)', ...flowOver(bob, alice.selfId!, from, to) },
      ],
    };
  });
}

/** Packets and bytes received on the public bridge: what clients sent to the servers there. */
async function bridgeRx(lab: Lab): Promise<{ packets: number; bytes: number }> {
  const line = (await lab.exec(lab.publicNs, ['cat', '/proc/net/dev'])).split('\n').find((l) => l.trim().startsWith('br0:'));
  const fields = (line ?? '').split(':')[1]?.trim().split(/\s+/) ?? [];
  return { bytes: Number(fields[0]), packets: Number(fields[1]) };
}

interface CpuResult {
  participants: number;
  streams: number;
  idleCpuPct: number;
  cpuPct: number;
  cpuPctPerStream: number;
  packetsPerSecondPerStream: number;
  kbitPerStream: number;
  load: string;
}

async function coturnCpuRun(n: number, windowMs: number, video: string): Promise<CpuResult> {
  const homes: HomeSpec[] = Array.from({ length: n }, (_, i) => ({ name: `h${i}`, nat: 'cone' }));
  return withLab({ homes }, async (lab) => {
    const coturn = await startCoturn(lab);
    const pid = coturn.process.child.pid!;
    const server = await startLabSignaling(lab, { ...turnUdp(coturn), LOG_LEVEL: 'warn' });
    // coturn's own cost with nobody on it, over a shorter window.
    const idleFrom = processCpuSeconds(pid);
    await sleep(3000);
    const idleCpuPct = ((processCpuSeconds(pid) - idleFrom) / 3) * 100;
    const people = await Promise.all(
      homes.map((h, i) => LabParticipant.start(lab, h.name, { url: server.url, room: 'p7-cpu', name: `p${i}`, relayOnly: true, video })),
    );
    await Promise.all(people.flatMap((self) => people.filter((p) => p !== self).map((other) => self.waitForFrames(other.selfId!, 30, 60_000))));
    await sleep(2000);
    const [cpu0, rx0, t0] = [processCpuSeconds(pid), await bridgeRx(lab), performance.now()];
    await sleep(windowMs);
    const [cpu1, rx1, t1] = [processCpuSeconds(pid), await bridgeRx(lab), performance.now()];
    const seconds = (t1 - t0) / 1000;
    const streams = n * (n - 1);
    const cpuPct = ((cpu1 - cpu0) / seconds) * 100;
    return {
      participants: n,
      streams,
      idleCpuPct,
      cpuPct,
      cpuPctPerStream: (cpuPct - idleCpuPct) / streams,
      packetsPerSecondPerStream: (rx1.packets - rx0.packets) / seconds / streams,
      kbitPerStream: ((rx1.bytes - rx0.bytes) * 8) / 1000 / seconds / streams,
      load: load(),
    };
  });
}

export async function p7(options: P7Options): Promise<unknown> {
  console.log('\n## P7 calls across networks (NAT lab, issue 9)');
  const unsupported = (await netlabUnsupportedReason()) ?? (await turnserverUnsupportedReason());
  if (unsupported) {
    console.log(`skipped: ${unsupported}`);
    return { skipped: unsupported };
  }

  const firstFrames: FirstFrameRun[] = [];
  // Interleaved (run 1 of every scenario, then run 2, ...) so a change in the machine's load hits all alike.
  for (let run = 0; run < options.runs; run++) {
    for (const scenario of SCENARIOS) firstFrames.push(await firstFrameRun(scenario, run));
  }
  console.log(`join to first frame, both directions (ms; ${options.runs} runs each, a fresh lab per run)`);
  printTable(
    ['path', 'p50 ms', 'runs ms', 'selected pair (alice)', 'load after'],
    SCENARIOS.map((s) => {
      const runs = firstFrames.filter((r) => r.scenario === s.name);
      return [s.name, fmt(median(runs.map((r) => r.ms)), 0), runs.map((r) => r.ms).join(' / '), [...new Set(runs.map((r) => r.pair))].join(', '), runs.at(-1)?.load ?? ''];
    }),
  );

  const impaired = await impairedRun(options.impairedMs);
  console.log(`\nimpaired uplink of home a for ${options.impairedMs / 1000} s, ${IMPAIRED_VIDEO} video: ${impaired.impairment}`);
  for (const f of impaired.flows) console.log(`  ${f.flow}: ${describeFlow(f)}`);
  const c = impaired.counters;
  console.log(`  the link: ${c.sentPackets} packets, ${fmt((c.sentBytes * 8) / 1000 / impaired.seconds, 0)} kbit/s both ways; ${c.lossDrops} dropped by the loss rule, ${c.queueDrops} by a full queue`);

  const cpu: CpuResult[] = [];
  for (const n of options.cpuSizes) cpu.push(await coturnCpuRun(n, options.cpuWindowMs, options.cpuVideo));
  console.log(`\ncoturn CPU per relayed stream (relay-only participants, one per home, ${options.cpuVideo} video; ${options.cpuWindowMs / 1000} s window; 100% = one core)`);
  printTable(
    ['N', 'streams', 'coturn idle %', 'coturn %', '% per stream', 'pkt/s in per stream', 'kbit/s in per stream', 'load after'],
    cpu.map((c) => [c.participants, c.streams, fmt(c.idleCpuPct, 2), fmt(c.cpuPct, 1), fmt(c.cpuPctPerStream, 2), fmt(c.packetsPerSecondPerStream, 0), fmt(c.kbitPerStream, 0), c.load]),
  );
  return { firstFrames, impaired, cpu };
}
