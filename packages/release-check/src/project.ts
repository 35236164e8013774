/**
 * A throwaway npm project outside the workspace with the packed tarballs installed, as a user who
 * ran `npm install @meshmeet/rtc-core` would have it. Packing goes through pnpm so that
 * `publishConfig` and the `workspace:` versions are applied exactly as `pnpm publish` would.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const WORKSPACE = fileURLToPath(new URL('../../../', import.meta.url));
export const PUBLISHED = { '@meshmeet/protocol': 'packages/protocol', '@meshmeet/rtc-core': 'packages/rtc-core', '@meshmeet/signaling': 'apps/signaling' } as const;
const require = createRequire(import.meta.url);

/** pnpm as this test was started by (turbo -> pnpm sets npm_execpath), else from PATH. */
function pnpm(args: string[], cwd: string): Promise<{ stdout: string }> {
  const execpath = process.env.npm_execpath;
  if (execpath && /pnpm/.test(execpath)) return run(process.execPath, [execpath, ...args], { cwd });
  return run('pnpm', args, { cwd });
}

/** The version this workspace resolved for a dependency, so the project gets the same one. */
async function workspaceVersion(name: string): Promise<string> {
  const manifest = join(require.resolve(`${name}/package.json`, { paths: [join(WORKSPACE, 'packages/rtc-core')] }));
  return (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version;
}

export interface Project {
  dir: string;
  /** Per package: the tarball and the paths inside it. */
  tarballs: Record<keyof typeof PUBLISHED, { filename: string; files: string[] }>;
  remove(): Promise<void>;
}

export async function createProject(): Promise<Project> {
  const dir = await mkdtemp(join(tmpdir(), 'meshmeet-packed-'));
  try {
    const packed = await Promise.all(
      Object.entries(PUBLISHED).map(async ([name, path]) => {
        const { stdout } = await pnpm(['pack', '--json', '--pack-destination', dir], join(WORKSPACE, path));
        const { filename, files } = JSON.parse(stdout) as { filename: string; files: { path: string }[] };
        return [name, { filename, files: files.map((f) => f.path) }] as const;
      }),
    );
    const tarballs = Object.fromEntries(packed) as Project['tarballs'];
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'meshmeet-consumer', private: true, type: 'module' }));
    const extras = await Promise.all(['socket.io-client', '@roamhq/wrtc', '@types/node'].map(async (n) => `${n}@${await workspaceVersion(n)}`));
    // --prefer-offline: the npm cache answers for everything fetched before; the registry for the rest.
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...Object.values(tarballs).map((t) => t.filename), ...extras], { cwd: dir });
    return { dir, tarballs, remove: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
