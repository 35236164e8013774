#!/usr/bin/env node
// The published server: src/ bundled into one ESM file that plain node runs (no tsx), with the
// workspace's @meshmeet/protocol compiled in and every npm dependency left as an import, so the
// tarball's `dependencies` are exactly what it loads. The built web app is copied in beside it.
import { build } from 'esbuild';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const pkg = JSON.parse(readFileSync(here('../package.json'), 'utf8'));
const webDist = here('../../web/dist');

if (!existsSync(`${webDist}/index.html`)) {
  process.stderr.write(`signaling build: no built web app at ${webDist}; build @meshmeet/web first (turbo does)\n`);
  process.exit(1);
}

rmSync(here('../dist'), { recursive: true, force: true });
await build({
  entryPoints: [here('../src/main.ts')],
  outfile: here('../dist/main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: Object.keys(pkg.dependencies ?? {}),
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
cpSync(webDist, here('../dist/web'), { recursive: true });
