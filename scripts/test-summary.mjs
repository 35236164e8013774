#!/usr/bin/env node
// Reads a test log on stdin (vitest and Playwright summaries, possibly prefixed by turbo and
// coloured) and prints the totals as one "N passed, N failed" line, so that CI can tell a run
// that tested nothing from one that passed. Below the totals it repeats what failed (the test
// names and the first lines of each error), since CI may keep only the tail of a long log.
import { text } from 'node:stream/consumers';

const log = (await text(process.stdin)).replace(/\x1b\[[0-9;]*m/g, '');
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const retried = [];
const lines = log.split('\n');
for (const [i, line] of lines.entries()) {
  // vitest: " FAIL  src/x.test.ts > suite > name", then the error; Playwright: "✘ … › name";
  // vitest's "Unhandled Errors" fail a run in which every test passed; turbo names failed tasks.
  if (/\bFAIL\b\s+\S+\.test\.ts/.test(line) || /Unhandled (Error|Rejection)/.test(line)) {
    const after = lines.slice(i + 1, i + 12);
    const end = after.findIndex((l) => /⎯|\bFAIL\b|Tests\s+\d/.test(l));
    const error = after.slice(0, end === -1 ? after.length : end).filter((l) => l.replace(/^\S+:\s*/, '').trim() !== '').slice(0, 4);
    failures.push(line.trim(), ...error.map((l) => `    ${l.trim()}`));
  } else if (/\(retry x\d+\)/.test(line)) {
    retried.push(line.trim());
  } else if (/:test:e2e:\s+\d+ flaky\b/.test(line)) {
    for (const next of lines.slice(i + 1, i + 20)) {
      if (!/›/.test(next)) break;
      retried.push(next.trim());
    }
  } else if (/✘/.test(line) || /^\s*Failed:\s+\S/.test(line)) {
    failures.push(line.trim());
  }
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
// In CI a failed vitest test runs once more: one that passed then is flaky, and named here.
if (retried.length > 0) process.stdout.write(`passed on a retry (flaky):\n${[...new Set(retried)].slice(0, 30).join('\n')}\n`);
if (failures.length > 0) process.stdout.write(`what failed:\n${[...new Set(failures)].slice(0, 60).join('\n')}\n`);
