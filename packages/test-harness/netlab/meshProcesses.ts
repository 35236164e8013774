// The meshmeet processes of a lab scenario: the signaling server on the public network and
// participants in homes, with readers for the JSON lines participant.ts prints.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IceServer } from '@meshmeet/protocol';
import type { Lab } from './lab.ts';
import type { JsonLine, NsProcess } from './proc.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** Spawned, never imported: nothing imports an app. */
const SIGNALING_MAIN = join(here, '../../../apps/signaling/src/main.ts');
const PARTICIPANT = join(here, 'participant.ts');

export interface LabServer {
  url: string;
  process: NsProcess;
}

/**
 * The signaling server in the public namespace, as a real deployment has it: every home reaches
 * it through its own router (and NAT), and cutting a home's uplink cuts its signaling too,
 * while a UDP block leaves the TCP signaling up.
 */
export async function startLabSignaling(lab: Lab, env: Record<string, string> = {}): Promise<LabServer> {
  const server = lab.spawnTsx(lab.publicNs, SIGNALING_MAIN, {
    name: 'signaling',
    env: { PORT: '0', HOST: lab.publicAddress, ICE_SERVERS: '[]', LOG_LEVEL: 'info', ...env },
  });
  const listening = await server.waitFor((l) => l.msg === 'listening' && typeof l.port === 'number', 'signaling "listening" line', 30_000);
  return { url: `http://${lab.publicAddress}:${String(listening.port)}`, process: server };
}

export interface ParticipantOptions {
  url: string;
  room: string;
  name: string;
  /** Overrides the ICE servers of the join answer; unset = what the server hands out. */
  iceServers?: IceServer[];
  /** Relay candidates only (rtc-core's iceTransportPolicy 'relay'). */
  relayOnly?: boolean;
  /** The synthetic camera, e.g. '320x240@15' (default 160x120@15). */
  video?: string;
  /** rtc-core's statsIntervalMs: each 'stats' event is printed as a `stats` line (the recent figures per peer). */
  statsMs?: number;
}

/** A participant.ts process in a home's host namespace. */
export class LabParticipant {
  private constructor(readonly process: NsProcess) {}

  /** The id the participant has now (a rejoin would change it). */
  get selfId(): string | null {
    const last = this.lines.findLast((l) => l.ev === 'joined' || l.ev === 'self');
    return last ? String(last.selfId) : null;
  }

  static async start(lab: Lab, home: string, options: ParticipantOptions): Promise<LabParticipant> {
    const p = lab.spawnTsx(lab.home(home).hostNs, PARTICIPANT, {
      name: options.name,
      env: {
        NETLAB_URL: options.url,
        NETLAB_ROOM: options.room,
        NETLAB_NAME: options.name,
        ...(options.iceServers ? { NETLAB_ICE_SERVERS: JSON.stringify(options.iceServers) } : {}),
        ...(options.relayOnly ? { NETLAB_RELAY_ONLY: '1' } : {}),
        ...(options.video ? { NETLAB_VIDEO: options.video } : {}),
        ...(options.statsMs ? { NETLAB_STATS_MS: String(options.statsMs) } : {}),
      },
    });
    const participant = new LabParticipant(p);
    const joined = await p.waitFor((l) => l.ev === 'joined' || l.ev === 'joinFailed', `${options.name} joins`, 30_000);
    if (joined.ev !== 'joined') throw new Error(`${options.name} could not join: ${String(joined.message)}`);
    return participant;
  }

  get lines(): JsonLine[] {
    return this.process.lines;
  }

  events(ev: string): JsonLine[] {
    return this.lines.filter((l) => l.ev === ev);
  }

  /** Frames received from `peer` so far (the latest 250 ms report). */
  framesFrom(peer: string): number {
    const last = this.lines.findLast((l) => l.ev === 'frames');
    return Number((last?.counts as Record<string, number> | undefined)?.[peer] ?? 0);
  }

  /** Frames from `peer` as of the last report at or before time `t`. */
  framesFromAt(peer: string, t: number): number {
    const last = this.lines.findLast((l) => l.ev === 'frames' && Number(l.t) <= t);
    return Number((last?.counts as Record<string, number> | undefined)?.[peer] ?? 0);
  }

  /** Waits until at least `more` new frames from `peer` have arrived. */
  async waitForFrames(peer: string, more: number, timeoutMs = 20_000): Promise<void> {
    const from = this.framesFrom(peer);
    await this.process.waitFor(
      (l) => l.ev === 'frames' && Number((l.counts as Record<string, number>)[peer] ?? 0) >= from + more,
      `${this.process.name}: ${more} frames from ${peer}`,
      timeoutMs,
    );
  }

  /** Peer ids this participant ever saw join or leave after its own join. */
  membershipChanges(): JsonLine[] {
    return this.lines.filter((l) => l.ev === 'participantJoined' || l.ev === 'participantLeft');
  }

  /** ICE restarts seen so far (local ufrag changes). */
  restarts(): number {
    return Number(this.events('ice').at(-1)?.restarts ?? 0);
  }
}

export interface Coturn {
  /** e.g. `turn:203.0.113.1:3478?transport=udp` */
  turnUrl: string;
  /** The same server over TCP (for networks that drop UDP): `turn:203.0.113.1:3478?transport=tcp` */
  turnTcpUrl: string;
  stunUrl: string;
  secret: string;
  process: NsProcess;
}

/**
 * coturn on the public network, as STUN and TURN server with TURN REST credentials (the
 * signaling server's TURN_SECRET scheme), listening on UDP and TCP 3478. Ready once both are bound.
 */
export async function startCoturn(lab: Lab, secret = 'netlab-turn-secret'): Promise<Coturn> {
  const ip = lab.publicAddress;
  // Its own pid file, not the shared /var/run/turnserver.pid of a system coturn.
  const pidfile = join(tmpdir(), `${lab.plan.prefix}-turnserver.pid`);
  const turn = lab.spawn(
    lab.publicNs,
    [
      'turnserver', '-n', `--listening-ip=${ip}`, `--relay-ip=${ip}`, '--listening-port=3478',
      '--min-port=49152', '--max-port=49999', '--use-auth-secret', `--static-auth-secret=${secret}`,
      '--realm=netlab.test', ...(process.env.NETLAB_TURN_VERBOSE ? ['--verbose'] : []), '--no-tls', '--no-dtls', '--no-cli', '--log-file=stdout', '--simple-log', `--pidfile=${pidfile}`,
    ],
    { name: 'coturn' },
  );
  turn.child.once('exit', () => rmSync(pidfile, { force: true }));
  const deadline = Date.now() + 10_000;
  for (const flags of ['-Hlun', '-Hltn']) {
    while (!(await lab.exec(lab.publicNs, ['ss', flags, 'sport', '= :3478'])).includes('3478')) {
      if (Date.now() > deadline || turn.child.exitCode !== null) throw new Error(`coturn did not bind ${flags === '-Hlun' ? 'UDP' : 'TCP'} 3478:\n${turn.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { turnUrl: `turn:${ip}:3478?transport=udp`, turnTcpUrl: `turn:${ip}:3478?transport=tcp`, stunUrl: `stun:${ip}:3478`, secret, process: turn };
}

/** Waits for the participant's selected candidate pair to match (participant.ts reports it each second). */
export function waitForPair(p: LabParticipant, match: (pair: JsonLine) => boolean, what: string, timeoutMs = 15_000): Promise<JsonLine> {
  return p.process.waitFor((l) => l.ev === 'pair' && match(l), `${p.process.name}: ${what}`, timeoutMs);
}
