import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './test-utils.ts';

/** A CSP header as a map of directive -> sources, so that order and spacing do not matter. */
function directives(header: string | null): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map[name] = values;
  }
  return map;
}

describe('security headers on the web app', () => {
  let dist: string;
  let t: TestServer;
  beforeAll(async () => {
    dist = mkdtempSync(joinPath(tmpdir(), 'meshmeet-web-'));
    mkdirSync(joinPath(dist, 'assets'));
    writeFileSync(joinPath(dist, 'index.html'), '<!doctype html><title>meshmeet test</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(joinPath(dist, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(joinPath(dist, 'assets', 'app.css'), 'body{}');
    t = await startServer({ WEB_DIST: dist });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const paths = ['/', '/r/standup', '/assets/app.js', '/assets/app.css', '/healthz', '/metrics', '/nope'];

  it('sends a strict Content-Security-Policy: nothing inline, nothing from elsewhere', async () => {
    for (const path of paths) {
      const res = await fetch(`${t.url}${path}`);
      expect(directives(res.headers.get('content-security-policy')), path).toEqual({
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'media-src': ["'self'", 'blob:', 'mediastream:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'worker-src': ["'self'"],
        'manifest-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
      });
    }
  });

  it('allows camera, microphone and screen capture to the app itself only, and no other powerful feature', async () => {
    for (const path of paths) {
      const policy = (await fetch(`${t.url}${path}`)).headers.get('permissions-policy') ?? '';
      const features = Object.fromEntries(policy.split(',').map((entry) => entry.trim().split('=') as [string, string]));
      expect(features, path).toMatchObject({ camera: '(self)', microphone: '(self)', 'display-capture': '(self)', geolocation: '()', payment: '()', usb: '()' });
      // Every feature is either the app's own or nobody's: never a list of other origins, never *.
      for (const [name, allow] of Object.entries(features)) expect(['(self)', '()'], name).toContain(allow);
    }
  });

  it('sends nosniff, no referrer (room names are in the URL), same-origin opener and no framing', async () => {
    for (const path of paths) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-powered-by'), path).toBeNull();
    }
  });
});
