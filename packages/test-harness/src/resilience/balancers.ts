import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The balancer configs the README tells operators to use (deploy/nginx-multinode.conf,
 * deploy/haproxy.cfg), run by the real nginx or HAProxy in front of test nodes. Only addresses,
 * ports and TLS are substituted: TLS termination is what nginx.int.test.ts in apps/signaling
 * proves; here the subject is how the balancer moves clients between nodes.
 */
export interface Balancer {
  readonly url: string;
  readonly log: () => string;
  stop(): Promise<void>;
}

export type BalancerKind = 'nginx' | 'haproxy';

const DEPLOY = fileURLToPath(new URL('../../../../deploy/', import.meta.url));
const BINARIES: Record<BalancerKind, string[]> = {
  nginx: ['/usr/sbin/nginx', '/usr/bin/nginx'],
  haproxy: ['/usr/sbin/haproxy', '/usr/bin/haproxy'],
};

function binary(kind: BalancerKind): string | undefined {
  return BINARIES[kind].find((path) => {
    try {
      execFileSync(path, ['-v'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

/** Why a balancer's test cannot run here, or null. */
export function balancerSkipReason(kind: BalancerKind): string | null {
  if (binary(kind) === undefined) return `${kind} is not installed (apt-get install ${kind === 'nginx' ? 'nginx-light' : 'haproxy'})`;
  if (kind === 'nginx' && process.getuid?.() !== 0) return 'nginx needs root here';
  return null;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function substitute(text: string, replacements: Array<[string | RegExp, string]>, file: string): string {
  let out = text;
  for (const [from, to] of replacements) {
    const before = out;
    out = out.replace(from, to);
    if (out === before) throw new Error(`${file} changed: "${String(from)}" no longer matches`);
  }
  return out;
}

/** The site file with the nodes' addresses; the redirecting server on a port of its own, the TLS server as plain http on `port`. */
function nginxSite(port: number, redirectPort: number, nodes: string[]): string {
  const file = 'nginx-multinode.conf';
  return substitute(readFileSync(join(DEPLOY, file), 'utf8').replace(/^\s*#.*$/gm, ''), [
    ['server 10.0.0.11:3000', `server ${nodes[0]}`],
    ['server 10.0.0.12:3000', `server ${nodes[1]}`],
    ['listen [::]:80;', ''],
    ['listen [::]:443 ssl http2;', ''],
    ['listen 80;', `listen 127.0.0.1:${redirectPort};`],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${port};`],
    [/\s*ssl_certificate\s[^;]*;/, ''],
    [/\s*ssl_certificate_key\s[^;]*;/, ''],
    [/\s*ssl_protocols\s[^;]*;/, ''],
  ], file);
}

async function waitUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; ; i++) {
    const status = await fetch(`${url}/healthz`).then((r) => r.status, () => 0);
    if (status === 200) return;
    if (i > 150 || child.exitCode !== null) throw new Error(`the balancer did not come up:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * `haproxy -c` on the shipped file as it is, TLS included (a throwaway self-signed certificate
 * where the file expects one): throws with HAProxy's complaint if the file does not load.
 */
export function checkShippedHaproxyConfig(): void {
  const dir = mkdtempSync(join(tmpdir(), 'meshmeet-haproxy-check-'));
  try {
    const pem = join(dir, 'meet.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=meet.example.org', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'pipe' });
    writeFileSync(pem, readFileSync(join(dir, 'cert.pem'), 'utf8') + readFileSync(join(dir, 'key.pem'), 'utf8'));
    const cfg = substitute(readFileSync(join(DEPLOY, 'haproxy.cfg'), 'utf8'), [['/etc/haproxy/certs/meet.example.org.pem', pem]], 'haproxy.cfg');
    writeFileSync(join(dir, 'haproxy.cfg'), cfg);
    execFileSync(binary('haproxy')!, ['-c', '-f', join(dir, 'haproxy.cfg')], { stdio: 'pipe' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the balancer on a free loopback port in front of `nodes` ("127.0.0.1:port" each). */
export async function startBalancer(kind: BalancerKind, nodes: [string, string]): Promise<Balancer> {
  const bin = binary(kind);
  if (!bin) throw new Error(balancerSkipReason(kind) ?? `${kind} missing`);
  const dir = mkdtempSync(join(tmpdir(), `meshmeet-${kind}-`));
  const [port, redirectPort] = [await freePort(), await freePort()];
  let child: ChildProcess;
  let output = '';
  if (kind === 'nginx') {
    writeFileSync(join(dir, 'site.conf'), nginxSite(port, redirectPort, nodes));
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn; events {}
       http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
              include ${dir}/site.conf; }\n`,
    );
    execFileSync(bin, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'pipe' });
    child = spawn(bin, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore', detached: true });
  } else {
    const file = 'haproxy.cfg';
    const cfg = substitute(readFileSync(join(DEPLOY, file), 'utf8'), [
      [/^\s*bind :443 .*$/m, ''],
      [/^\s*http-request redirect scheme https .*$/m, ''],
      ['bind :80', `bind 127.0.0.1:${port}`],
      ['10.0.0.11:3000', nodes[0]],
      ['10.0.0.12:3000', nodes[1]],
    ], file);
    writeFileSync(join(dir, 'haproxy.cfg'), cfg);
    execFileSync(bin, ['-c', '-q', '-f', join(dir, 'haproxy.cfg')], { stdio: 'pipe' });
    child = spawn(bin, ['-db', '-f', join(dir, 'haproxy.cfg')], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const keep = (chunk: Buffer): void => void (output = (output + chunk.toString()).slice(-8000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }
  const log = (): string => {
    if (kind === 'haproxy') return output;
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8').slice(-8000);
    } catch {
      return '';
    }
  };
  const url = `http://127.0.0.1:${port}`;
  const balancer: Balancer = {
    url,
    log,
    async stop() {
      // The balancer runs in a process group of its own: nginx's workers outlive a killed master,
      // so the whole group is stopped (SIGTERM: the master ends its workers), then killed.
      const group = (signal: NodeJS.Signals): void => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // the group is gone already
        }
      };
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        group('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      }
      group('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitUp(url, child, log);
  } catch (error) {
    await balancer.stop();
    throw error;
  }
  return balancer;
}
