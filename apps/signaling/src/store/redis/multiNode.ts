import { createAdapter as createPubSubAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import type { Registry } from 'prom-client';
import type { RedisConfig } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { RedisConnection } from './RedisConnection.ts';
import { RedisMetrics } from './redisMetrics.ts';
import { nodeChannel } from './routeScript.ts';

export interface MultiNode {
  /** The room store's connection (fails fast while Redis is down). */
  readonly connection: RedisConnection;
  /** socket.io's adapter factory, for `new Server(..., { adapter })`. */
  readonly adapter: ReturnType<typeof createStreamsAdapter>;
  /** Receives the signals other nodes route to this node's members (see routeScript.ts). */
  onSignal(handler: (payload: string) => void): void;
  /** Subscribed to this node's channel: until then, signals for it are held. */
  channelReady(): boolean;
  close(): Promise<void>;
}

/** Entries the adapter's stream keeps: a node that falls this far behind loses broadcasts. */
const STREAM_MAX_LEN = 5_000;

/**
 * The Redis side of a multi-node server: one connection for the room store, the socket.io
 * adapter for broadcasts (with its own connections, which queue while Redis is away so that
 * broadcasts made during a blip go out once it is back), and this node's signal channel.
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
  // Its own connection: a subscribed client can do nothing else. It resubscribes after a reconnection.
  const channel = nodeChannel(config.keyPrefix, config.nodeId);
  const signals = connection.client.duplicate({ enableOfflineQueue: true, commandTimeout: undefined, maxRetriesPerRequest: null });
  signals.on('error', () => undefined);
  extra.push(signals);
  let subscribed = false;
  signals.subscribe(channel).then(() => void (subscribed = true)).catch((error: unknown) => log.warn('could not subscribe to this node\'s signal channel', { channel, error: (error as Error).message }));
  log.info('multi-node mode', { adapter: config.adapter, keyPrefix: config.keyPrefix });
  return {
    connection,
    adapter,
    onSignal(handler) {
      signals.on('message', (_channel: string, payload: string) => handler(payload));
    },
    channelReady: () => subscribed && signals.status === 'ready',
    async close() {
      await connection.close();
      for (const client of extra) client.disconnect();
    },
  };
}
