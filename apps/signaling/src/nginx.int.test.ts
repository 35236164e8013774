import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JoinResult } from '@meshmeet/protocol';
import { selfSignedCert, startServer, type TestServer } from './test-utils.ts';

/**
 * deploy/nginx.conf, the file the README tells operators to use, run by a real nginx in front of a
 * real server with TRUST_PROXY=loopback: https, the websocket upgrade, and the origin check
 * reading X-Forwarded-Host/-Proto. Only the names, ports and certificate paths are substituted.
 */

const CONF = fileURLToPath(new URL('../../../deploy/nginx.conf', import.meta.url));
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => {
  try {
    execFileSync(path, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
const skipReason = NGINX === undefined ? 'nginx is not installed (apt-get install nginx-light)' : process.getuid?.() !== 0 ? 'nginx needs root here' : null;
if (skipReason) console.warn(`nginx.int.test: skipped: ${skipReason}`);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(skipReason !== null)('deploy/nginx.conf in front of the server', () => {
  let t: TestServer;
  let nginx: ChildProcess | undefined;
  let dir: string;
  let pem: ReturnType<typeof selfSignedCert>;
  let tlsPort: number;
  let plainPort: number;

  beforeAll(async () => {
    // Another origin is listed, so only the forwarded same-origin check can admit the page.
    t = await startServer({ TRUST_PROXY: 'loopback', ALLOWED_ORIGINS: 'https://other.example' });
    pem = selfSignedCert(['meet.example.org', 'localhost', '127.0.0.1']);
    dir = mkdtempSync(join(tmpdir(), 'meshmeet-nginx-'));
    [tlsPort, plainPort] = [await freePort(), await freePort()];
    const site = readFileSync(CONF, 'utf8')
      .replace(/^\s*#.*$/gm, '')
      .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${new URL(t.url).port};`)
      .replace(/listen \[::\]:\d+[^;]*;/g, '')
      .replace('listen 80;', `listen 127.0.0.1:${plainPort};`)
      .replace('listen 443 ssl http2;', `listen 127.0.0.1:${tlsPort} ssl http2;`)
      .replace('/etc/letsencrypt/live/meet.example.org/fullchain.pem', pem.certPath)
      .replace('/etc/letsencrypt/live/meet.example.org/privkey.pem', pem.keyPath);
    if (/:3000|letsencrypt|listen 443|listen 80;/.test(site)) throw new Error('deploy/nginx.conf changed: the substitutions no longer apply');
    writeFileSync(join(dir, 'meshmeet.conf'), site);
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn; events {}
       http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
              include ${dir}/meshmeet.conf; }\n`,
    );
    execFileSync(NGINX!, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'pipe' });
    nginx = spawn(NGINX!, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    for (let i = 0; ; i++) {
      const status = await get(`https://127.0.0.1:${tlsPort}/healthz`).then((r) => r.status, () => 0);
      if (status === 200) break;
      if (i > 150 || nginx.exitCode !== null) throw new Error(`nginx did not come up:\n${readFileSync(join(dir, 'error.log'), 'utf8')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx!.once('exit', resolve));
      nginx.kill('SIGTERM');
      await exited;
    }
    await t?.close();
    pem?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; location?: string; headers: Record<string, string | string[] | undefined> }> {
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(url, { ca: pem.cert, servername: 'meet.example.org', headers }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location, headers: res.headers });
      });
      req.on('error', reject);
      req.end();
    });
  }

  function socketVia(origin: string): Promise<Socket> {
    const socket = connectClient(`https://127.0.0.1:${tlsPort}`, {
      // The websocket goes through the Upgrade headers of the config (polling would not need them).
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ca: pem.cert,
      extraHeaders: { origin },
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
  }

  it('answers /healthz over https and redirects plain http to https', async () => {
    expect((await get(`https://127.0.0.1:${tlsPort}/healthz`)).status).toBe(200);
    const redirect = await get(`http://127.0.0.1:${plainPort}/r/room`, { host: 'meet.example.org' });
    expect(redirect).toMatchObject({ status: 301, location: 'https://meet.example.org/r/room' });
  });

  it("passes the server's security headers through unchanged", async () => {
    const direct = await fetch(`${t.url}/healthz`);
    const proxied = await get(`https://127.0.0.1:${tlsPort}/healthz`);
    for (const name of ['content-security-policy', 'permissions-policy', 'referrer-policy', 'cross-origin-opener-policy', 'x-content-type-options']) {
      expect(proxied.headers[name], name).toBe(direct.headers.get(name));
      expect(proxied.headers[name], name).toBeTruthy();
    }
  });

  it('admits the page of the name it was reached by, upgrades to a websocket through the proxy, and joins', async () => {
    // X-Forwarded-Host is the name the client used ($http_host), here 127.0.0.1:<nginx port>.
    const socket = await socketVia(`https://127.0.0.1:${tlsPort}`);
    try {
      expect(socket.io.engine.transport.name).toBe('websocket');
      const result: JoinResult = await socket.timeout(10_000).emitWithAck('join', { room: 'nginx', name: 'Proxied' });
      expect(result.ok).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('refuses another origin, and the http page of the same name', async () => {
    await expect(socketVia('https://evil.example')).rejects.toThrow();
    await expect(socketVia(`http://127.0.0.1:${tlsPort}`)).rejects.toThrow();
    // The server itself, reached directly, sees http://127.0.0.1:<its port>: the https page is foreign there.
    await expect(t.connect({ origin: `https://127.0.0.1:${tlsPort}` })).rejects.toThrow();
  });
});
