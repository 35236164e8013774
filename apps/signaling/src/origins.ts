import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import type { TrustProxy } from './config.ts';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a browser page from `origin` may open a socket. Requests without an Origin header come
 * from non-browser clients (bots, tools), which could forge any origin anyway, so they pass.
 * Same origin (scheme, host and port, as the request names itself: see `requestOrigin`) always
 * passes; `allowed` null means "and any localhost port", otherwise the list (where "*" admits everyone).
 */
export function isOriginAllowed(origin: string | undefined, self: string | undefined, allowed: readonly string[] | null): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (self !== undefined && url.origin === self) return true;
  if (allowed === null) return LOCAL_HOSTS.has(url.hostname);
  return allowed.includes('*') || allowed.some((entry) => entry !== '*' && new URL(entry).origin === url.origin);
}

export type TrustFn = (address: string, hop: number) => boolean;

/** proxy-addr's compiled form of a TRUST_PROXY value (Express compiles `trust proxy` the same way). */
export function compileTrust(value: TrustProxy): TrustFn {
  if (value === true) return () => true;
  if (value === false) return () => false;
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return proxyAddr.compile(value);
}

/** What a request says about where it came from, read through the proxies TRUST_PROXY trusts. */
export interface RequestView {
  /** `https://meet.example.org`, or undefined without a usable Host. */
  origin: string | undefined;
  protocol: 'http' | 'https';
  /** The client's address (the first untrusted hop). */
  address: string | undefined;
}

const firstValue = (header: string | string[] | undefined): string | undefined => {
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(',')[0]?.trim();
  return first === undefined || first === '' ? undefined : first;
};

/**
 * The request's own origin and client address. X-Forwarded-Host/-Proto count only when the
 * immediate peer is trusted (as Express's `req.host` and `req.protocol` decide); the address
 * walks X-Forwarded-For back to the first untrusted hop (Express's `req.ip`).
 */
export function viewRequest(req: IncomingMessage, trust: TrustFn): RequestView {
  const peer = req.socket.remoteAddress;
  const trusted = peer !== undefined && trust(peer, 0);
  const direct = 'encrypted' in req.socket && req.socket.encrypted === true ? 'https' : 'http';
  const forwardedProto = trusted ? firstValue(req.headers['x-forwarded-proto'])?.toLowerCase() : undefined;
  const protocol = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : direct;
  const host = (trusted ? firstValue(req.headers['x-forwarded-host']) : undefined) ?? firstValue(req.headers.host);
  let origin: string | undefined;
  if (host !== undefined) {
    try {
      origin = new URL(`${protocol}://${host}`).origin;
    } catch {
      origin = undefined;
    }
  }
  let address: string | undefined;
  try {
    address = peer === undefined ? undefined : proxyAddr(req, trust);
  } catch {
    address = peer;
  }
  return { origin, protocol, address };
}
