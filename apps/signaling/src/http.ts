import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';
import type { TrustProxy } from './config.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { securityHeaders } from './securityHeaders.ts';

export interface HttpDeps {
  webDist: string;
  metrics: Metrics;
  log: Logger;
  isDraining: () => boolean;
  /** Multi-node mode: false while Redis is unreachable (a balancer sends new clients elsewhere). */
  storeReady?: () => boolean;
  /** Express's `trust proxy` (req.ip, req.protocol, req.host follow X-Forwarded-* from these hops). */
  trustProxy?: TrustProxy;
}

/** Paths the single-page app routes itself; they all load index.html. */
const SPA_ROUTE = /^\/r\/[A-Za-z0-9_-]{1,64}\/?$/;

/** The HTTP side: health, readiness, metrics, and the built web app when there is one. */
export function createHttpApp({ webDist, metrics, log, isDraining, storeReady = () => true, trustProxy = false }: HttpDeps): Express {
  const app = express();
  app.set('trust proxy', trustProxy);
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', (_req, res) => {
    if (isDraining()) res.status(503).json({ status: 'draining' });
    else if (!storeReady()) res.status(503).json({ status: 'room store unreachable' });
    else res.json({ status: 'ready' });
  });

  app.get('/metrics', async (_req, res) => {
    try {
      const text = await metrics.text();
      res.type(metrics.registry.contentType).send(text);
    } catch (error) {
      log.error('metrics collection failed', { error });
      res.status(500).type('text/plain').send('metrics unavailable\n');
    }
  });

  const index = join(webDist, 'index.html');
  if (existsSync(index) && statSync(webDist).isDirectory()) {
    app.use(
      express.static(webDist, {
        index: 'index.html',
        setHeaders(res, path) {
          // Vite puts a content hash in every file name under assets/, so those never change;
          // index.html must be revalidated so that a deploy is picked up.
          res.setHeader('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      }),
    );
    app.get(SPA_ROUTE, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
    log.info('serving the web app', { webDist });
  }

  app.use((_req, res) => {
    res.status(404).type('text/plain').send('not found\n');
  });
  return app;
}
