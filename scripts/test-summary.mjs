#!/usr/bin/env node
// Reads a test log on stdin (vitest and Playwright summaries, possibly prefixed by turbo and
// coloured) and prints the totals as one "N passed, N failed" line, so that CI can tell a run
// that tested nothing from one that passed.
import { text } from 'node:stream/consumers';

const log = (await text(process.stdin)).replace(/\x1b\[[0-9;]*m/g, '');
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const line of log.split('\n')) {
  // vitest: "Tests  2 failed | 58 passed | 1 skipped (61)"
  const vitest = /^\S*\s*Tests\s+(.*)\(\d+\)\s*$/.exec(line);
  // Playwright: "  14 passed (2.9m)", "  1 failed", "  2 skipped", "  1 flaky"
  const playwright = /:test:e2e:\s+(\d+) (passed|failed|skipped|flaky)\b/.exec(line);
  if (vitest?.[1]) {
    for (const [, n, kind] of vitest[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
      if (kind === 'todo') continue;
      totals[kind] += Number(n);
    }
  } else if (playwright) {
    const kind = playwright[2] === 'flaky' ? 'passed' : playwright[2];
    totals[kind] += Number(playwright[1]);
  }
}
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
