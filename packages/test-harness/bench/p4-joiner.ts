// One client process of P4 on two nodes: it joins its share of the participants (those that
// `nodeOf` puts on its node) and holds their sockets, so that no process needs more open files
// than its limit (20,000 here, not raisable) for 2 x 10,000 participants. Commands on stdin, one
// per line: 'go' starts the joins, 'count' reports who is joined and connected, 'close' ends.
// Usage: node --import tsx p4-joiner.ts '{"url":…,"total":…,"node":0,"nodes":2,"concurrency":50}'
import { createInterface } from 'node:readline';
import { SignalingParticipant } from '../src/signaling-only/SignalingParticipant.ts';

interface Config {
  url: string;
  total: number;
  node: number;
  nodes: number;
  concurrency: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const say = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
/** Rooms of 4: members 0-1 on node 0, 2-3 on node 1 (one node: all of them). */
const nodeOf = (i: number, nodes: number): number => (nodes === 1 ? 0 : Math.floor((i % 4) / 2));

const mine: number[] = [];
for (let i = 0; i < config.total; i++) if (nodeOf(i, config.nodes) === config.node) mine.push(i);
const participants: SignalingParticipant[] = [];

async function go(): Promise<void> {
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < mine.length) {
      const i = mine[next++]!;
      const p = new SignalingParticipant({ url: config.url, room: `p4n-${Math.floor(i / 4)}`, name: `cap ${i}`, negotiate: false });
      participants.push(p);
      await p.join(60_000).catch(() => failed++);
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, worker));
  say({ type: 'done', failed, seconds: (performance.now() - t0) / 1000 });
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = line.trim();
  if (command === 'go') void go();
  else if (command === 'count') say({ type: 'count', joined: participants.filter((p) => p.joinedAt !== null && p.connected).length });
  else if (command === 'close') {
    for (const p of participants) p.close();
    setTimeout(() => process.exit(0), 200);
  }
});
say({ type: 'ready', participants: mine.length });
