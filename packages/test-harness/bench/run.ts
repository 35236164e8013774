/**
 * `pnpm bench [-- p1 p3 p3n p4 p4n p5 p5s p6 p7] [--quick]`: prints numbers; each benchmark measures its own
 * baseline in the same run. --quick uses smaller sizes (a smoke run of a minute or two).
 * p7 (the NAT lab) needs root, ip, iptables and coturn; p3n and p4n (P3 and P4 across two nodes)
 * need redis-server; elsewhere they print why they are skipped.
 */
import { cpus } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { load } from './lib.ts';
import { p1 } from './p1-formation.ts';
import { p3 } from './p3-relay.ts';
import { p3n } from './p3-multinode.ts';
import { p4 } from './p4-capacity.ts';
import { p4n } from './p4-multinode.ts';
import { p5 } from './p5-density.ts';
import { p5s } from './p5-steps.ts';
import { p6 } from './p6-resume.ts';
import { p7 } from './p7-netlab.ts';

const args = process.argv.slice(2).filter((a) => a !== '--');
const quick = args.includes('--quick');
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
const wanted = args.filter((a) => /^p\d[ns]?$/.test(a));
const all = ['p1', 'p3', 'p3n', 'p4', 'p4n', 'p5', 'p5s', 'p6', 'p7'];
const selected = wanted.length ? wanted : all;

console.log(`meshmeet benchmarks ${quick ? '(quick) ' : ''}on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), Node ${process.version}, load ${load()}, ${new Date().toISOString()}`);
const results: Record<string, unknown> = { machine: { cpus: cpus().length, node: process.version }, quick, startedAt: new Date().toISOString() };
const started = performance.now();
for (const name of selected) {
  const t = performance.now();
  if (name === 'p1') results.p1 = await p1(quick ? { sizes: [2, 4], repeats: 1 } : { sizes: [2, 4, 6], repeats: 3 });
  else if (name === 'p3') results.p3 = await p3(quick ? { sockets: 200, rates: [1000, 5000], windows: [4], phaseMs: 2000 } : { sockets: 400, rates: [1000, 2500, 5000, 10_000], windows: [1, 4], phaseMs: 3000 });
  else if (name === 'p3n') {
    results.p3n = await p3n(
      quick
        ? { sockets: 200, rates: [1000, 2500], windows: [], phaseMs: 2000, adapters: ['streams', 'pubsub'] }
        : { sockets: 400, rates: [1000, 2500, 5000], windows: [1], phaseMs: 3000, adapters: ['streams', 'pubsub'] },
    );
  }
  else if (name === 'p4n') results.p4n = await p4n(quick ? { perNode: 2000, concurrency: 50, repeats: 1 } : { perNode: 10_000, concurrency: 100, repeats: 2 });
  else if (name === 'p4') results.p4 = await p4(quick ? { participants: 2000, concurrency: 50, repeats: 1 } : { participants: 10_000, concurrency: 100, repeats: 2 });
  else if (name === 'p5') results.p5 = await p5(quick ? { sizes: [4, 8], windowMs: 6000 } : { sizes: [4, 8, 12], windowMs: 15_000 });
  else if (name === 'p5s') results.p5s = await p5s(quick ? { participants: 8, roomSizes: [4, 8], repeats: 1, windowMs: 6000 } : { participants: 8, roomSizes: [4, 8], repeats: 2, windowMs: 15_000 });
  else if (name === 'p6') results.p6 = await p6(quick ? { sizes: [2, 4], repeats: 1 } : { sizes: [2, 4, 8], repeats: 3 });
  else if (name === 'p7') {
    results.p7 = await p7(
      quick
        ? { runs: 1, impairedMs: 10_000, cpuSizes: [2], cpuWindowMs: 5000, cpuVideo: '320x240@15' }
        : { runs: 3, impairedMs: 20_000, cpuSizes: [2, 4], cpuWindowMs: 20_000, cpuVideo: '320x240@15' },
    );
  }
  else if (!all.includes(name)) throw new Error(`unknown benchmark ${name}`);
  console.log(`(${name} took ${((performance.now() - t) / 1000).toFixed(0)} s; load ${load()})`);
}
console.log(`\nall done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
if (jsonFile) await writeFile(jsonFile, JSON.stringify(results, null, 2));
// wrtc's native threads can crash while the process tears them down; the results are out already.
process.exit(0);
