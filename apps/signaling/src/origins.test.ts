import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { compileTrust, isOriginAllowed, viewRequest } from './origins.ts';

describe('isOriginAllowed', () => {
  it('lets requests without an Origin through (non-browser clients)', () => {
    expect(isOriginAllowed(undefined, 'https://meet.example.org', ['https://a.example'])).toBe(true);
  });

  it('allows same origin and localhost by default', () => {
    expect(isOriginAllowed('https://meet.example.org', 'https://meet.example.org', null)).toBe(true);
    expect(isOriginAllowed('http://localhost:5173', 'https://meet.example.org', null)).toBe(true);
    expect(isOriginAllowed('http://127.0.0.1:8080', 'https://meet.example.org', null)).toBe(true);
    expect(isOriginAllowed('http://[::1]:8080', 'https://meet.example.org', null)).toBe(true);
    expect(isOriginAllowed('https://evil.example', 'https://meet.example.org', null)).toBe(false);
    expect(isOriginAllowed('https://localhost.evil.example', 'https://meet.example.org', null)).toBe(false);
    expect(isOriginAllowed('null', 'https://meet.example.org', null)).toBe(false);
  });

  it('allows only the list (and same origin) when one is given', () => {
    const list = ['https://a.example', 'http://b.example:8080'];
    expect(isOriginAllowed('https://a.example', 'https://x', list)).toBe(true);
    expect(isOriginAllowed('http://b.example:8080', 'https://x', list)).toBe(true);
    expect(isOriginAllowed('http://b.example', 'https://x', list)).toBe(false);
    expect(isOriginAllowed('http://localhost:5173', 'https://x', list)).toBe(false);
    expect(isOriginAllowed('https://x', 'https://x', list)).toBe(true);
    // Same origin is scheme, host and port.
    expect(isOriginAllowed('http://x', 'https://x', list)).toBe(false);
    expect(isOriginAllowed('https://x:8443', 'https://x', list)).toBe(false);
    expect(isOriginAllowed('https://anything.example', 'https://x', ['*'])).toBe(true);
  });
});

function request(remoteAddress: string, headers: Record<string, string>, encrypted = false): IncomingMessage {
  return { socket: { remoteAddress, ...(encrypted ? { encrypted: true } : {}) }, connection: { remoteAddress }, headers } as unknown as IncomingMessage;
}

describe('viewRequest', () => {
  const proxied = { host: '127.0.0.1:3000', 'x-forwarded-host': 'meet.example.org', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9, 127.0.0.1' };

  it('ignores X-Forwarded-* unless the immediate peer is trusted', () => {
    expect(viewRequest(request('127.0.0.1', proxied), compileTrust(false))).toEqual({ origin: 'http://127.0.0.1:3000', protocol: 'http', address: '127.0.0.1' });
    expect(viewRequest(request('127.0.0.1', proxied), compileTrust(['loopback']))).toEqual({ origin: 'https://meet.example.org', protocol: 'https', address: '203.0.113.9' });
    expect(viewRequest(request('198.51.100.1', proxied), compileTrust(['loopback'])).origin).toBe('http://127.0.0.1:3000');
  });

  it('takes the first of several forwarded values, and hop counts as Express does', () => {
    const twice = { host: 'a', 'x-forwarded-host': 'meet.example.org, inner', 'x-forwarded-proto': 'https,http', 'x-forwarded-for': '203.0.113.9, 198.51.100.2' };
    expect(viewRequest(request('10.0.0.1', twice), compileTrust(1))).toEqual({ origin: 'https://meet.example.org', protocol: 'https', address: '198.51.100.2' });
    expect(viewRequest(request('10.0.0.1', twice), compileTrust(true)).address).toBe('203.0.113.9');
  });

  it('is https on a TLS socket, and keeps a non-default port', () => {
    expect(viewRequest(request('127.0.0.1', { host: 'meet.example.org:8443' }, true), compileTrust(false)).origin).toBe('https://meet.example.org:8443');
    expect(viewRequest(request('127.0.0.1', { host: 'meet.example.org:443' }, true), compileTrust(false)).origin).toBe('https://meet.example.org');
  });

  it('has no origin without a Host, and ignores a forwarded proto that is neither http nor https', () => {
    expect(viewRequest(request('127.0.0.1', {}), compileTrust(false)).origin).toBeUndefined();
    expect(viewRequest(request('127.0.0.1', { host: 'a', 'x-forwarded-proto': 'gopher' }), compileTrust(true)).protocol).toBe('http');
  });
});
