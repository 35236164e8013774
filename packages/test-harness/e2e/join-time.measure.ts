// Join click -> every remote tile playing, for 3 and 4 participants. Prints figures; asserts
// nothing about time (the machine is shared and loaded). Run:
//   MEASURE=1 pnpm --filter @meshmeet/test-harness exec playwright test --project=measure
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { REMOTE_VIDEOS, closeAll, expectPlaying, joinCall, openLobby, test, uniqueRoom, type Participant } from './fixtures.ts';
import { armJoinTimer, joinMs } from './joinTimer.ts';

const RUNS = Number(process.env.MEASURE_RUNS ?? 3);
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const stats = (xs: number[]): string => {
  const sorted = [...xs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  return `median ${median.toFixed(0)} ms, min ${sorted[0]?.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms`;
};

const results: Record<string, number[]> = {};
function record(key: string, ms: number): void {
  (results[key] ??= []).push(ms);
  console.log(`  ${key}: ${ms.toFixed(0)} ms (load ${load()})`);
}

test.afterAll(() => {
  console.log(`\nJoin click -> all remote tiles playing, ${cpus().length} cores, load average now ${load()}`);
  for (const [key, xs] of Object.entries(results)) console.log(`  ${key.padEnd(34)} ${stats(xs)}  [${xs.map((x) => x.toFixed(0)).join(', ')}]`);
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(`${ARTIFACTS}join-time.json`, JSON.stringify({ cores: cpus().length, loadavg: loadavg(), results }, null, 2));
});

for (const n of [3, 4]) {
  test(`late joiner into a call of ${n - 1} (${n} participants)`, async ({ browser, server }) => {
    for (let run = 0; run < RUNS; run++) {
      const people: Participant[] = [];
      try {
        const room = uniqueRoom(`late${n}`);
        for (let i = 0; i < n - 1; i++) people.push(await joinCall(browser, server.url, room, `P${i + 1}`));
        for (const p of people) await expectPlaying(p.page, REMOTE_VIDEOS, n - 2);
        const last = await openLobby(browser, server.url, room, `P${n}`);
        people.push(last);
        await armJoinTimer(last.page, n - 1);
        await last.page.getByTestId('join').click();
        const t = await joinMs(last.page);
        record(`${n} participants, late joiner`, t.playing);
        record(`${n} participants, late joiner, connected`, t.connected);
      } finally {
        await closeAll(people);
      }
    }
  });

  test(`${n} participants clicking Join at once`, async ({ browser, server }) => {
    for (let run = 0; run < RUNS; run++) {
      const people: Participant[] = [];
      try {
        const room = uniqueRoom(`once${n}`);
        for (let i = 0; i < n; i++) people.push(await openLobby(browser, server.url, room, `P${i + 1}`));
        for (const p of people) await armJoinTimer(p.page, n - 1);
        await Promise.all(people.map((p) => p.page.getByTestId('join').click()));
        const times = await Promise.all(people.map((p) => joinMs(p.page)));
        record(`${n} participants, all at once (slowest)`, Math.max(...times.map((t) => t.playing)));
        record(`${n} participants, all at once, connected`, Math.max(...times.map((t) => t.connected)));
      } finally {
        await closeAll(people);
      }
    }
  });
}
