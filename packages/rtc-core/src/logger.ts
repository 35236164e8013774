/** Context attached to a log line: ids and the error live here, never in the message. */
export type LogContext = Record<string, unknown>;

/** The logger the engine calls, `log.warn('constant message', { roomId, peerId, error })`. */
export interface Logger {
  debug(message: string, context?: LogContext): void;
  info(message: string, context?: LogContext): void;
  warn(message: string, context?: LogContext): void;
  error(message: string, context?: LogContext): void;
}

const noop = (): void => {};

/** The default: the engine says nothing unless the app asks it to. */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

/** A logger writing to `console`, for apps and scripts that want to see what happens. */
export function consoleLogger(minLevel: 'debug' | 'info' | 'warn' | 'error' = 'info'): Logger {
  const levels = ['debug', 'info', 'warn', 'error'] as const;
  const min = levels.indexOf(minLevel);
  const at = (level: (typeof levels)[number]) =>
    levels.indexOf(level) < min ? noop : (message: string, context?: LogContext) => console[level](`[rtc-core] ${message}`, context ?? {});
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
