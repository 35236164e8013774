import pino, { type Logger as PinoLogger, type DestinationStream } from 'pino';
import type { LogLevel } from './config.ts';

export type LogContext = Record<string, unknown>;

/**
 * The house logger shape: a constant message first, ids and details in the context object.
 * Backed by pino, whose disabled levels are no-ops, so calls below the level cost one call.
 */
export interface Logger {
  trace(message: string, context?: LogContext): void;
  debug(message: string, context?: LogContext): void;
  info(message: string, context?: LogContext): void;
  warn(message: string, context?: LogContext): void;
  error(message: string, context?: LogContext): void;
  fatal(message: string, context?: LogContext): void;
  /** True when debug lines are written; guards building expensive context (e.g. SDP sizes). */
  readonly debugEnabled: boolean;
  flush(): void;
}

/** `fields` go on every line (a multi-node server's `node`). */
export function createLogger(level: LogLevel, destination?: DestinationStream, fields?: LogContext): Logger {
  const opts = { ...options(level), base: fields ?? undefined };
  return wrap(destination ? pino(opts, destination) : pino(opts));
}

function wrap(p: PinoLogger): Logger {
  return {
    trace: (message, context) => p.trace(context ?? {}, message),
    debug: (message, context) => p.debug(context ?? {}, message),
    info: (message, context) => p.info(context ?? {}, message),
    warn: (message, context) => p.warn(context ?? {}, message),
    error: (message, context) => p.error(context ?? {}, message),
    fatal: (message, context) => p.fatal(context ?? {}, message),
    get debugEnabled() {
      return p.isLevelEnabled('debug');
    },
    flush: () => p.flush(),
  };
}

/** A logger that writes nothing, for tests that do not look at logs. */
export const silentLogger: Logger = createLogger('silent');

function options(level: LogLevel): pino.LoggerOptions {
  // No pid/hostname on every line; errors under `error` are serialized like pino's `err`.
  return { level, base: undefined, serializers: { error: pino.stdSerializers.err } };
}
