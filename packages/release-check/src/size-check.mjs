#!/usr/bin/env node
// Prints and enforces the client-side size budgets of issue 14, measured the way the issue
// measured them: esbuild --bundle --minify --format=esm --platform=browser, then gzip -9.
//
//   node size-check.mjs [--root DIR] [--web DIR]
//
// --root is where @meshmeet/rtc-core is resolved from: a project that installed the packed
// tarballs (what a user gets), or by default this workspace package (the TypeScript source).
// --web is a built web app (its assets/ are summed); default apps/web/dist.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Issue 14's targets in bytes of gzip -9 output (kB = 1000 bytes, the stricter reading). */
export const TARGETS = { main: 12_000, socketIo: 15_000, web: 60_000 };
/**
 * What is enforced today, and why it is above the targets (issue 14 stays open). The main entry
 * (13.9 kB) grew with resume, data channels and chat (issues 8, 12), the host controls and
 * link-path stats (13, 9) and the windowed link quality (11), after losing 0.4 kB to the checks
 * split; with the socket.io entry it is 15.5 kB. Issue 11's uplink budget (the server's
 * videoUplinkKbps, a user limit with setUplinkBudget, per-link ceilings, retrying a refused
 * setParameters) added about 0.19 kB to both (main 14.16 kB, socket.io 15.78 kB), and with the
 * settings dialog's data saver about 0.52 kB to the web app (76.35 kB). Issue 11 part 2's camera
 * steps by room size (scaleResolutionDownBy and maxFramerate, set with maxBitrate in one
 * setParameters) and sender priorities (audio high, screen above camera) added about 0.19 kB to
 * each (main 14.354 kB, socket.io 15.967 kB, web app 76.512 kB); the encoder headroom (caps at
 * 92% of a share) 7 B more (14.361 / 15.977 / 76.517 kB). Issue 11 part 5 exported cameraStep
 * (the bots step their synthetic cameras by it), 11 and 10 B, and added the stats'
 * outboundVideoKbps (the bots' video uplink per link), 21 and 24 B; web app 22 B. Issue 11 part
 * 3's video wants (a `want` link message and its check, setVideoWanted, the per-link pause or
 * smaller layer applied with the budget; in the web app the tiles' wants from page visibility and
 * tile size) added 354 B to both entries and 509 B to the web app. Together: 14.741 / 16.365 /
 * 77.050 kB. Issue 14 part 3 took back what it could without dropping a feature: the web app's
 * stores without Pinia (-2,594 B), engine.io-client's unreachable WebTransport left out of the web
 * build (-757 B), the link options passed on by spread (-70 B to each), the icons as a table
 * (-116 B): 14.671 / 16.295 / 73.501 kB. The web app is now Vue's runtime (~23.4 kB),
 * socket.io-client with engine.io and the parsers (~11.1 kB), rtc-core with its socket.io entry
 * (~13.3 kB) and the protocol checks (~2.3 kB), and the app (~21.5 kB): 60 kB needs a lighter
 * transport than socket.io-client as well as rtc-core at its own target, not flags. It is one
 * chunk, and the figure is all of its JavaScript (a lazy call screen was tried: the lobby's chunk
 * fell to 65.3 kB but the total rose by 3.3 kB). Lower a limit whenever a change makes room; never
 * raise one silently. (The packed tarballs' build measures a few bytes off the workspace's: the
 * limits keep about 40 B over the workspace figures.)
 */
export const BUDGETS = { main: 14_750, socketIo: 16_385, web: 73_595 };

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** One esbuild bundle of `contents`, resolved from `resolveDir`; its gzip size and what is in it. */
async function bundle(contents, resolveDir, external = []) {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'js', sourcefile: 'size-entry.js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    external,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.entries(output.inputs).map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }));
  return { gzip: gzip(result.outputFiles[0].contents), minified: result.outputFiles[0].contents.length, inputs };
}

/** Minified bytes per package in a bundle, largest first: what to blame when over budget. */
function byPackage(inputs) {
  const totals = new Map();
  for (const { path, bytes } of inputs) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path);
    const name = match?.[1] ?? (path.includes('rtc-core') ? '@meshmeet/rtc-core' : path.includes('protocol') ? '@meshmeet/protocol' : path);
    totals.set(name, (totals.get(name) ?? 0) + bytes);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

function webAssets(webDist) {
  const dir = join(webDist, 'assets');
  if (!existsSync(dir)) throw new Error(`no built web app at ${webDist} (run the web build first)`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .map((f) => ({ file: f, js: f.endsWith('.js'), gzip: gzip(readFileSync(join(dir, f))) }));
}

/** Measures everything; returns rows with `ok`, and advice for the rows that are over. */
export async function sizeCheck({ root = resolve(here, '..'), web = resolve(here, '../../../apps/web/dist') } = {}) {
  const rows = [];
  const main = await bundle(`export * from '@meshmeet/rtc-core';`, root);
  rows.push({ name: '@meshmeet/rtc-core', ...main, budget: BUDGETS.main, target: TARGETS.main });
  const withSocket = await bundle(`export * from '@meshmeet/rtc-core';\nexport * from '@meshmeet/rtc-core/socket-io';`, root, ['socket.io-client']);
  rows.push({ name: '@meshmeet/rtc-core + /socket-io (socket.io-client excluded)', ...withSocket, budget: BUDGETS.socketIo, target: TARGETS.socketIo });
  // The budget is the JavaScript, as the issue measured it (85 kB before); the stylesheet is shown beside it.
  const assets = webAssets(web);
  const js = assets.filter((a) => a.js);
  const css = assets.filter((a) => !a.js).reduce((n, a) => n + a.gzip, 0);
  rows.push({ name: `web app JavaScript (${js.map((a) => a.file).join(', ')}; CSS ${css} B more)`, gzip: js.reduce((n, a) => n + a.gzip, 0), budget: BUDGETS.web, target: TARGETS.web, inputs: [] });
  for (const row of rows) {
    row.ok = row.gzip <= row.budget;
    const packages = byPackage(row.inputs).filter(([, bytes]) => bytes > 0);
    row.packages = packages;
    if (!row.ok && packages.some(([name]) => name === 'zod')) {
      row.advice =
        'zod is in this client bundle. The client path must use the zod-free entry: import runtime values and checks from ' +
        "'@meshmeet/protocol/checks' instead of '@meshmeet/protocol' (Mesh.ts: checkJoinRequest; socket-io/SocketIoSignaling.ts: " +
        'parseJoinResult, parseServerEvent, SERVER_EVENTS; web: checkDisplayName, checkRoomId).';
    }
  }
  return rows;
}

export function report(rows) {
  const lines = ['size check (esbuild --bundle --minify --format=esm --platform=browser, gzip -9):'];
  for (const row of rows) {
    const target = row.gzip <= row.target ? `target ${row.target} met` : `target ${row.target} NOT met`;
    lines.push(`  ${row.ok ? 'ok  ' : 'OVER'} ${String(row.gzip).padStart(7)} B gzip  (limit ${row.budget}; ${target})  ${row.name}`);
    if (!row.ok && row.packages.length) {
      lines.push(`       largest parts (minified bytes): ${row.packages.slice(0, 4).map(([n, b]) => `${n} ${b}`).join(', ')}`);
    }
    if (row.advice) lines.push(`       ${row.advice}`);
  }
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { root: { type: 'string' }, web: { type: 'string' } } });
  const rows = await sizeCheck({ root: values.root && resolve(values.root), web: values.web && resolve(values.web) });
  process.stdout.write(`${report(rows)}\n`);
  process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
}
