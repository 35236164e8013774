import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../../logger.ts';
import { StoreUnavailableError } from '../RoomStore.ts';
import type { RedisMetrics } from './redisMetrics.ts';

type Arg = string | number;

/**
 * This node's connection to Redis for the room store. Commands fail at once while Redis is
 * unreachable (no offline queue) and after COMMAND_TIMEOUT_MS when it hangs, so that a join is
 * refused instead of waiting; the client reconnects by itself. Scripts run by their SHA, loaded
 * again after a Redis restart forgot them.
 */
export class RedisConnection {
  readonly client: Redis;
  readonly #shas = new Map<string, string>();
  #everReady = false;
  #readyListeners: Array<() => void> = [];

  constructor(
    readonly url: string,
    private readonly log: Logger,
    private readonly metrics: RedisMetrics,
  ) {
    this.client = new Redis(url, {
      enableOfflineQueue: false,
      commandTimeout: COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      // Back soon after a blip; at most one try a second while it is down.
      retryStrategy: (times) => Math.min(times * 100, 1_000),
      lazyConnect: false,
    });
    this.client.on('error', (error: Error) => this.#onError(error));
    this.client.on('ready', () => {
      const again = this.#everReady;
      this.#everReady = true;
      log.info(again ? 'redis reachable again' : 'redis connected', { url: redactUrl(url) });
      for (const listener of this.#readyListeners) listener();
    });
    this.client.on('close', () => {
      if (this.#everReady) log.warn('redis connection lost', { url: redactUrl(url) });
    });
  }

  get ready(): boolean {
    return this.client.status === 'ready';
  }

  /** Called on every (re)connection once Redis answers. */
  onReady(listener: () => void): void {
    this.#readyListeners.push(listener);
  }

  /** Resolves once Redis answered for the first time (or rejects after `timeoutMs`). */
  async connected(timeoutMs: number): Promise<void> {
    if (this.ready) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis at ${redactUrl(this.url)} did not answer within ${timeoutMs} ms`)), timeoutMs);
      this.onReady(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** A plain command, timed and counted; any failure becomes StoreUnavailableError. */
  async command<T>(op: string, run: (client: Redis) => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await run(this.client);
    } catch (error) {
      this.metrics.errors++;
      throw new StoreUnavailableError(error);
    } finally {
      this.metrics.observe(op, started);
    }
  }

  /** Runs one of scripts.ts's scripts (ARGV only: the scripts build their keys from the prefix). */
  script(op: string, source: string, args: Arg[]): Promise<unknown> {
    return this.command(op, async (client) => {
      let sha = this.#shas.get(source);
      if (!sha) this.#shas.set(source, (sha = createHash('sha1').update(source).digest('hex')));
      try {
        return await client.evalsha(sha, 0, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return await client.eval(source, 0, ...args);
      }
    });
  }

  async close(): Promise<void> {
    this.#readyListeners = [];
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  #lastErrorLog = 0;
  #onError(error: Error): void {
    // While Redis is down the client reports every failed reconnect: one line every 5 s is enough.
    const now = Date.now();
    if (now - this.#lastErrorLog < 5_000) return;
    this.#lastErrorLog = now;
    this.log.warn('redis error', { url: redactUrl(this.url), error: error.message });
  }
}

export const COMMAND_TIMEOUT_MS = 1_000;

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://(unparsable)';
  }
}
