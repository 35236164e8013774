import { io as connectClient } from 'socket.io-client';
import { expect } from 'vitest';
import { startRedis, type RedisProcess } from '@meshmeet/rtc-core/test-utils/redis';
import { spawnSignalingServer, type SignalingProcess } from '@meshmeet/rtc-core/test-utils/spawn';
import { randomSecret, type Client } from './test-utils.ts';

// Multi-node tests with real processes: a redis-server and node processes of one deployment.
// Everything started here is registered for cleanUp(), which a test file calls in afterEach.

const cleanups: Array<() => Promise<unknown> | unknown> = [];

/** Stops what the last test started, the latest first. */
export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export async function redisServer(): Promise<RedisProcess> {
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  return redis;
}

/** Node processes on one Redis and one session secret, named by `ids`, once they are ready. */
export async function nodes<const Ids extends readonly string[] = ['node-a', 'node-b']>(
  redis: RedisProcess,
  env: Record<string, string> = {},
  ids: Ids = ['node-a', 'node-b'] as unknown as Ids,
): Promise<{ [K in keyof Ids]: SignalingProcess }> {
  const shared = { REDIS_URL: redis.url, SESSION_SECRET: randomSecret(), ...env };
  const started: SignalingProcess[] = [];
  for (const id of ids) {
    const node = await spawnSignalingServer({ env: { ...shared, NODE_ID: id } });
    cleanups.push(() => node.stop());
    started.push(node);
  }
  await ready(started);
  return started as { [K in keyof Ids]: SignalingProcess };
}

export async function ready(servers: SignalingProcess[], status = 200): Promise<void> {
  await expect.poll(async () => Promise.all(servers.map((s) => fetch(`${s.url}/readyz`).then((r) => r.status, () => 0))), { timeout: 10_000 }).toEqual(servers.map(() => status));
}

export async function connect(server: SignalingProcess): Promise<Client> {
  const socket: Client = connectClient(server.url, { transports: ['websocket'], reconnection: false, forceNew: true });
  cleanups.push(() => socket.disconnect());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}
