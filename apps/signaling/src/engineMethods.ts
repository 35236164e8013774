import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * engine.io serves GET and POST (its cors middleware answers preflights first) and answers any
 * other method on a live polling session with a bare 500. That is the client's mistake, not the
 * server's, and a 5xx would page whoever watches the error rate: refuse it as engine.io's 400
 * (`MIDDLEWARE_FAILURE`) before it reaches the transport.
 */
export function onlyGetAndPost(req: IncomingMessage, _res: ServerResponse, next: (error?: Error) => void): void {
  if (req.method === 'GET' || req.method === 'POST') next();
  else next(new Error('method not allowed'));
}
