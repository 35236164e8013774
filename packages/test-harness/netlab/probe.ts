// UDP reachability and NAT-mapping checks over udpProbe.ts processes in lab namespaces.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from './lab.ts';
import type { NsProcess } from './proc.ts';

const UDP_PROBE = join(dirname(fileURLToPath(import.meta.url)), 'udpProbe.ts');

/** A UDP echo on `host` in `ns`, answering each datagram with the sender's address as it saw it. */
export async function startEcho(lab: Lab, ns: string, host: string, ports: number[]): Promise<NsProcess> {
  const server = lab.spawnTsx(ns, UDP_PROBE, { name: `echo ${host}`, args: ['serve', host, ports.join(',')] });
  await server.waitFor((l) => l.ev === 'listening', `echo on ${host} listening`);
  return server;
}

export interface ProbeResult {
  /** The sender's address:port as the target saw it (after any NAT), or null: no answer. */
  seenAs: string | null;
  rttMs: number | null;
}

export interface ProbeClient {
  readonly process: NsProcess;
  /** Sends to `target` ("host:port") from the client's one port; `tries` × `timeoutMs` before null. */
  send(target: string, options?: { timeoutMs?: number; tries?: number }): Promise<ProbeResult>;
  stop(): Promise<void>;
}

/** A client bound to `localPort` in `ns`, kept running so that every send leaves from the same port. */
export async function startProbeClient(lab: Lab, ns: string, localPort: number): Promise<ProbeClient> {
  const p = lab.spawnTsx(ns, UDP_PROBE, { name: `probe ${localPort}`, args: ['client', String(localPort)], stdin: true });
  await p.waitFor((l) => l.ev === 'ready', 'probe client ready');
  let queue = Promise.resolve();
  return {
    process: p,
    send(target, { timeoutMs = 700, tries = 3 } = {}) {
      // One request at a time, so the n-th answer line is this request's.
      const result = queue.then(async () => {
        const from = p.lines.length;
        p.child.stdin!.write(`${target} ${timeoutMs} ${tries}\n`);
        const line = await p.waitFor((l) => p.lines.indexOf(l) >= from && l.target === target, `probe to ${target}`, timeoutMs * tries + 5000);
        return line.ev === 'reply' ? { seenAs: String(line.seenAs), rttMs: Number(line.rttMs) } : { seenAs: null, rttMs: null };
      });
      queue = result.then(() => undefined, () => undefined);
      return result;
    },
    async stop() {
      p.child.stdin!.end();
      await p.stop();
    },
  };
}
