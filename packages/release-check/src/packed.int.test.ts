/**
 * Issue 14's acceptance, on what a user installs: the three packages are packed, installed with
 * npm into a temporary project outside the workspace, and used there with plain node, strict tsc,
 * esbuild and the packed server. Needs the packages built (turbo's ^build runs first).
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { copyFile, readFile, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLine, start, stop } from './processes.ts';
import { createProject, PUBLISHED, WORKSPACE, type Project } from './project.ts';
import { codeBlocks, moduleScripts } from './readme.ts';
import { report, sizeCheck } from './size-check.mjs';

const run = promisify(execFile);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const fixtures = new URL('../consumer/', import.meta.url);
const READMES = ['packages/rtc-core/README.md', 'packages/protocol/README.md', 'apps/signaling/README.md'];

let project: Project;
let server: ChildProcess | undefined;
let serverUrl = '';
const children: ChildProcess[] = [];

beforeAll(async () => {
  project = await createProject();
  for (const file of await readdir(fixtures)) await copyFile(new URL(file, fixtures), join(project.dir, file));
}, 120_000);

afterAll(async () => {
  await Promise.all([...children, ...(server ? [server] : [])].map((c) => stop(c)));
  await project?.remove();
});

describe('the packed packages, installed with npm outside the workspace', () => {
  it('ship only the build, README and LICENSE (no source, tests or test-utils)', () => {
    for (const [name, { files }] of Object.entries(project.tarballs)) {
      expect(files, name).toContain('LICENSE');
      expect(files, name).toContain('README.md');
      const extra = name === '@meshmeet/signaling' ? /^(bin\/|dist\/)/ : /^dist\/.*\.(js|d\.ts)$/;
      expect(files.filter((f) => !['LICENSE', 'README.md', 'package.json'].includes(f) && !extra.test(f)), name).toEqual([]);
      expect(files.filter((f) => /test|\.tsbuildinfo$/.test(f)), name).toEqual([]);
    }
  });

  it('publish every workspace entry point, test-utils excepted', async () => {
    for (const [name, path] of Object.entries(PUBLISHED)) {
      const manifest = JSON.parse(await readFile(join(WORKSPACE, path, 'package.json'), 'utf8')) as {
        exports: Record<string, string>;
        publishConfig: { exports: Record<string, unknown> };
      };
      const expected = Object.keys(manifest.exports).filter((k) => !k.startsWith('./test-utils') && name !== '@meshmeet/signaling');
      expect(Object.keys(manifest.publishConfig.exports), `${name}: publishConfig.exports lacks an entry of exports`).toEqual(expect.arrayContaining(expected));
    }
  });

  it('load in plain node, and a Mesh builds on @roamhq/wrtc', async () => {
    const { stdout } = await run(process.execPath, ['smoke.mjs'], { cwd: project.dir });
    expect(JSON.parse(stdout)).toEqual({
      mesh: true,
      selfId: null,
      withoutWebRtc: 'WEBRTC_UNAVAILABLE',
      protocol: 'function',
      checks: { success: true, data: { room: 'r', name: 'Ann' } },
    });
  });

  it('compile with tsc (strict, exactOptionalPropertyTypes, nodenext) against the shipped .d.ts, README examples included', async () => {
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project.dir }).catch((e: { stdout: string }) => expect.fail(e.stdout));
    const files: string[] = [];
    for (const readme of READMES) {
      const blocks = codeBlocks(await readFile(join(WORKSPACE, readme), 'utf8'), 'ts');
      for (const [i, block] of blocks.entries()) {
        const file = `readme-${readme.split('/')[1]}-${i + 1}.ts`;
        await writeFile(join(project.dir, file), block);
        files.push(file);
      }
    }
    expect(files.length).toBeGreaterThanOrEqual(3);
    // The same settings, but skipLibCheck: @roamhq/wrtc's own declarations do not pass it, and
    // ours were checked by the first run.
    const config = JSON.parse(await readFile(join(project.dir, 'tsconfig.json'), 'utf8')) as { compilerOptions: object };
    await writeFile(join(project.dir, 'tsconfig.readme.json'), JSON.stringify({ compilerOptions: { ...config.compilerOptions, skipLibCheck: true }, files }));
    await run(process.execPath, [tsc, '-p', 'tsconfig.readme.json'], { cwd: project.dir }).catch((e: { stdout: string }) => expect.fail(e.stdout));
  }, 60_000);

  it('document themselves: the API reference generates from the types without a warning', async () => {
    const typedoc = join(dirname(createRequire(join(WORKSPACE, 'package.json')).resolve('typedoc/package.json')), 'bin/typedoc');
    const out = join(project.dir, 'api');
    await run(process.execPath, [typedoc, '--treatWarningsAsErrors', '--out', out], { cwd: WORKSPACE }).catch((e: { stdout: string }) => expect.fail(e.stdout));
    expect(await readdir(out)).toContain('index.html');
  }, 60_000);

  it('bundle for the browser (the README example), within the size budgets', async () => {
    const [example] = moduleScripts(await readFile(join(WORKSPACE, 'packages/rtc-core/README.md'), 'utf8'));
    expect(example).toBeDefined();
    const bundled = await build({
      stdin: { contents: example!, resolveDir: project.dir, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    const rows = await sizeCheck({ root: project.dir, web: join(project.dir, 'node_modules/@meshmeet/signaling/dist/web') });
    const text = `${report(rows)}\n  (the README's browser example, socket.io-client included: ${gzipSync(bundled.outputFiles[0]!.contents, { level: 9 }).length} B gzip, no budget)`;
    console.log(text);
    expect(rows.every((r) => r.ok), text).toBe(true);
  }, 60_000);

  it('run the packed server, which answers /healthz and serves the web app', async () => {
    server = start(join(project.dir, 'node_modules/.bin/meshmeet-signaling'), [], project.dir, { PORT: '0', HOST: '127.0.0.1', ICE_SERVERS: '[]', LOG_LEVEL: 'warn' });
    const { port } = await jsonLine<{ msg: string; port: number }>(server, (l) => l.msg === 'listening', 15_000, 'packed server');
    serverUrl = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${serverUrl}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${serverUrl}/`)).text()).toMatch(/<div id="app">/);
  }, 30_000);

  it('let two Node participants exchange camera frames through it', async () => {
    expect(serverUrl).not.toBe('');
    const names = ['alice', 'bob'];
    const participants = names.map((name) => start(process.execPath, ['participant.mjs', serverUrl, 'packed', name, '10'], project.dir));
    children.push(...participants);
    const lines = await Promise.all(participants.map((p, i) => jsonLine<{ name: string; from: string; frames: number }>(p, () => true, 30_000, names[i]!)));
    expect(lines.map((l) => [l.name, l.from, l.frames])).toEqual([['alice', 'bob', 10], ['bob', 'alice', 10]]);
    // Closing stdin makes each leave and exit 0.
    await Promise.all(participants.map((p) => new Promise<number | null>((resolve) => (p.once('exit', resolve), p.stdin!.end())).then((code) => expect(code).toBe(0))));
  }, 45_000);
});
