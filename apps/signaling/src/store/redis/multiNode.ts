import { createAdapter as createPubSubAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import type { Registry } from 'prom-client';
import type { RedisConfig } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { RedisConnection } from './RedisConnection.ts';
import { RedisMetrics } from './redisMetrics.ts';

export interface MultiNode {
  /** The room store's connection (fails fast while Redis is down). */
  readonly connection: RedisConnection;
  /** socket.io's adapter factory, for `new Server(..., { adapter })`. */
  readonly adapter: ReturnType<typeof createStreamsAdapter>;
  close(): Promise<void>;
}

/** Entries the adapter's stream keeps: a node that falls this far behind loses broadcasts. */
const STREAM_MAX_LEN = 5_000;

/**
 * The Redis side of a multi-node server: one connection for the room store, and the socket.io
 * adapter (with its own connections, which queue while Redis is away so that broadcasts made
 * during a blip go out once it is back).
 */
export function createMultiNode(config: RedisConfig, registry: Registry, log: Logger): MultiNode {
  let up = false;
  const metrics: RedisMetrics = new RedisMetrics(registry, () => up, config.nodeId);
  const connection: RedisConnection = new RedisConnection(config.url, log, metrics);
  const track = (): void => void (up = connection.ready);
  connection.client.on('ready', track).on('close', track).on('end', track);
  const publisher = connection.client.duplicate({ enableOfflineQueue: true, commandTimeout: undefined, maxRetriesPerRequest: null });
  publisher.on('error', () => undefined);
  const extra: Array<{ disconnect(): void }> = [publisher];
  let adapter: MultiNode['adapter'];
  if (config.adapter === 'streams') {
    adapter = createStreamsAdapter(publisher, { streamName: `${config.keyPrefix}socket.io`, maxLen: STREAM_MAX_LEN });
  } else {
    const subscriber = publisher.duplicate();
    subscriber.on('error', () => undefined);
    extra.push(subscriber);
    adapter = createPubSubAdapter(publisher, subscriber, { key: `${config.keyPrefix}socket.io` }) as unknown as MultiNode['adapter'];
  }
  log.info('multi-node mode', { adapter: config.adapter, keyPrefix: config.keyPrefix });
  return {
    connection,
    adapter,
    async close() {
      await connection.close();
      for (const client of extra) client.disconnect();
    },
  };
}
