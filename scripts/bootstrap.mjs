#!/usr/bin/env node
// The README's commands run through here so that they work on a machine that has only Node and
// npm: it installs the pinned pnpm, the workspace's packages and (for tests) a Chromium, then
// hands over to turbo. Usage: node scripts/bootstrap.mjs <start|test|bench|deps> [args...]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const [command = 'test', ...extra] = process.argv.slice(2);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

function say(message) {
  process.stderr.write(`[meshmeet] ${message}\n`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...options });
  return result.status ?? 1;
}

function quiet(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env });
  return result.status === 0 ? result.stdout.trim() : null;
}

function must(cmd, args, what) {
  const code = run(cmd, args);
  if (code !== 0) {
    say(`${what} failed (exit ${code})`);
    process.exit(code);
  }
}

/** The pinned pnpm as [command, ...prefix args]; installs it with npm when missing. */
function ensurePnpm() {
  if (quiet('pnpm', ['--version']) === pinned) return ['pnpm'];
  say(`installing pnpm ${pinned} with npm`);
  if (run('npm', ['install', '--global', '--no-fund', '--no-audit', `pnpm@${pinned}`]) === 0 && quiet('pnpm', ['--version']) === pinned) {
    return ['pnpm'];
  }
  say('global install not possible here; using npx');
  return ['npx', '--yes', `pnpm@${pinned}`];
}

/** Browser tests need a Chromium: Debian's where we can install it, else Playwright's own. */
function ensureChromium() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return;
  if (existsSync('/usr/bin/chromium')) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && quiet('apt-get', ['--version']) !== null) {
    say('installing Debian chromium for the browser tests');
    must('apt-get', ['update', '-qq'], 'apt-get update');
    must('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'], 'apt-get install chromium');
    return;
  }
  say('no /usr/bin/chromium and no apt-get as root: the browser tests will use Playwright\'s own Chromium if it is installed');
}

/**
 * The NAT lab's tests (packages/test-harness/netlab) need ip, iptables and coturn's turnserver,
 * and the test of deploy/nginx.conf needs nginx; as root with apt-get, install what is missing. Without them those tests skip with the reason.
 */
function ensureNetlabTools() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const missing = [
    ['ip', 'iproute2'],
    ['iptables', 'iptables'],
    ['turnserver', 'coturn'],
    ['nginx', 'nginx-light'],
    ['redis-server', 'redis-server'],
    ['haproxy', 'haproxy'],
  ].filter(([tool]) => quiet('sh', ['-c', `command -v ${tool}`]) === null).map(([, pkg]) => pkg);
  if (missing.length === 0 || !isRoot || quiet('apt-get', ['--version']) === null) return;
  say(`installing ${missing.join(', ')} for the NAT lab, nginx, Redis and HAProxy tests`);
  // Not fatal: the lab's tests report "skipped: <reason>" when a tool is still missing.
  if (run('apt-get', ['update', '-qq']) !== 0) return;
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const pnpm = ensurePnpm();
const [pm, ...pmArgs] = pnpm;
const installArgs = [...pmArgs, 'install', '--prefer-offline', ...(process.env.CI ? ['--frozen-lockfile'] : [])];
must(pm, installArgs, 'pnpm install');

switch (command) {
  case 'deps':
    break;
  case 'test':
    ensureChromium();
    ensureNetlabTools();
    must(pm, [...pmArgs, 'exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only'], 'typecheck');
    // One package at a time: the suites run real peer connections and a browser on 2 cores.
    must(pm, [...pmArgs, 'exec', 'turbo', 'run', 'test', 'test:e2e', '--concurrency=1', '--continue', ...extra], 'tests');
    break;
  case 'bench':
    must(pm, [...pmArgs, '--filter', '@meshmeet/test-harness', 'run', 'bench', ...extra], 'benchmarks');
    break;
  case 'start': {
    must(pm, [...pmArgs, 'exec', 'turbo', 'run', 'build', '--filter=@meshmeet/web'], 'building the web app');
    const child = spawn(pm, [...pmArgs, '--filter', '@meshmeet/signaling', 'run', 'start', ...extra], {
      cwd: root,
      stdio: 'inherit',
      env: { NODE_ENV: 'production', ...env },
    });
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
    break;
  }
  default:
    say(`unknown command "${command}": use start, test, bench or deps`);
    process.exit(2);
}
