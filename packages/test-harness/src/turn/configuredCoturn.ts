import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checked-in production config (deploy/turnserver.conf). */
export const TURNSERVER_CONF = fileURLToPath(new URL('../../../../deploy/turnserver.conf', import.meta.url));

export interface ConfiguredCoturn {
  port: number;
  tlsPort: number;
  secret: string;
  /** The self-signed certificate (CN localhost) of the TLS listener. */
  certPem: string;
  /** The file coturn was started with (the checked-in one with the test's overrides). */
  config: string;
  /** Everything coturn logged so far. */
  log(): string;
  stop(): Promise<void>;
}

/** A port free for both TCP and UDP on 127.0.0.1 (coturn listens on both). */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer().once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as { port: number };
        server.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no port free for both TCP and UDP');
}

/**
 * Runs coturn with deploy/turnserver.conf, changing only what a test must: its ports (free ones),
 * loopback as listening and relay address, the secret, a self-signed certificate, a log the test
 * can read and its own pid file. `allowPeers` appends allowed-peer-ip lines (the exception the
 * production config's own comment describes).
 */
export async function startConfiguredCoturn(options: { secret: string; allowPeers?: string[] }): Promise<ConfiguredCoturn> {
  const dir = mkdtempSync(join(tmpdir(), 'meshmeet-coturn-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '1', '-subj', '/CN=localhost', '-keyout', key, '-out', cert], { stdio: 'pipe' });
  const [port, tlsPort] = [await freePort(), await freePort()];
  const overrides: Record<string, string> = {
    'listening-port': `listening-port=${port}`,
    'tls-listening-port': `tls-listening-port=${tlsPort}`,
    'static-auth-secret': `static-auth-secret=${options.secret}`,
    cert: `cert=${cert}`,
    pkey: `pkey=${key}`,
    // The test reads the log (why a permission was refused); syslog is the production choice.
    syslog: 'log-file=stdout',
  };
  const seen = new Set<string>();
  const lines = readFileSync(TURNSERVER_CONF, 'utf8').split('\n').map((line) => {
    const name = /^([a-z0-9_-]+)/.exec(line)?.[1];
    if (!name || !(name in overrides)) return line;
    seen.add(name);
    return overrides[name]!;
  });
  const missing = Object.keys(overrides).filter((name) => !seen.has(name));
  if (missing.length > 0) throw new Error(`deploy/turnserver.conf no longer sets ${missing.join(', ')}`);
  lines.push(
    '# test overrides',
    'listening-ip=127.0.0.1',
    'relay-ip=127.0.0.1',
    `pidfile=${join(dir, 'turnserver.pid')}`,
    // Its own user database: Debian's default /var/lib/turn is shared with any other coturn.
    `userdb=${join(dir, 'turndb')}`,
    'simple-log',
    // Logs each ALLOCATE and CREATE_PERMISSION, with the reason of a refusal.
    'verbose',
    // coturn refuses loopback peers on its own unless told otherwise: lifting that leaves the
    // config's denied-peer-ip 127.0.0.0/8 as the only rule against them, which a test can prove.
    'allow-loopback-peers',
    ...(options.allowPeers ?? []).map((ip) => `allowed-peer-ip=${ip}`),
  );
  const config = join(dir, 'turnserver.conf');
  writeFileSync(config, lines.join('\n') + '\n');

  const child: ChildProcess = spawn('turnserver', ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!output.includes(`UDP listener opened on: 127.0.0.1:${port}`)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`coturn did not open UDP ${port}:\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { port, tlsPort, secret: options.secret, certPem: readFileSync(cert, 'utf8'), config, log: () => output, stop };
}
