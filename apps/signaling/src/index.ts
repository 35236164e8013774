export { createSignalingServer, MAX_HTTP_BUFFER_SIZE, type SignalingServer, type ServerOptions, type AppServer } from './server.ts';
export { loadConfig, ConfigError, type Config, type TurnConfig, type RateLimitConfig, type ResumeConfig, type LogLevel, type TlsConfig, type TrustProxy } from './config.ts';
export { createLogger, silentLogger, type Logger } from './logger.ts';
export { turnCredentials } from './turn.ts';
export { hmacSigner, newPeerId } from './credentials.ts';
export { resolveSessionSecret, type SecretSource } from './secret.ts';
