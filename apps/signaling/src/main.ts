// The signaling server as a process: config from the environment, one "listening" line on stdout
// (spawners parse it for the port), and a drain on SIGTERM/SIGINT that exits 0.
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { createSignalingServer } from './server.ts';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`meshmeet signaling: ${error.message}\n`);
  process.exit(1);
}

// Every line of a multi-node server names its node.
const fields = config.redis ? { node: config.redis.nodeId } : undefined;
const log = createLogger(config.logLevel, undefined, fields);
// Handlers catch their own errors; anything that still escapes is a bug: log it as JSON, then let
// the process die as Node would (its state can no longer be trusted).
process.on('uncaughtException', (error) => {
  log.fatal('uncaught exception', { error });
  log.flush();
  process.exit(1);
});
const server = createSignalingServer(config, { log });

try {
  const { host, port, protocol } = await server.listen();
  // Spawners wait for this line, so it is written at info whatever LOG_LEVEL says.
  createLogger('info', undefined, fields).info('listening', { host, port, protocol });
} catch (error) {
  log.fatal('could not listen', { host: config.host, port: config.port, error });
  log.flush();
  process.exit(1);
}

let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  log.info('shutting down', { signal });
  // The drain normally takes milliseconds; the timer bounds it so the process always exits in time.
  const timer = setTimeout(() => {
    log.warn('drain timed out; exiting anyway', { timeoutMs: config.shutdownTimeoutMs });
    log.flush();
    process.exit(0);
  }, config.shutdownTimeoutMs);
  timer.unref();
  void server.drain().then(() => {
    log.info('stopped');
    log.flush();
    process.exit(0);
  });
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
