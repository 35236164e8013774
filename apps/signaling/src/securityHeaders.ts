import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The Content-Security-Policy of every response, the web app's above all. The built app is one
 * script and one stylesheet from /assets (Vite, no inline script or style: see the e2e spec
 * csp.spec.ts, which fails on any violation during a call), so nothing inline is allowed.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  // Vue's :style bindings go through the CSSOM (element.style), which style-src does not govern.
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'media-src': ["'self'", 'blob:', 'mediastream:'],
  'font-src': ["'self'"],
  // socket.io's websocket and polling go to the page's own origin; CSP 3's 'self' also matches
  // ws: from an http page and wss: from an https one on the same host and port.
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
};

/**
 * Powerful features: the call needs camera, microphone and screen capture, the invite button
 * the clipboard, tiles full screen; everything else is off, for the app and for any frame.
 * Only names Chromium recognises: it reports an unknown one as a console error.
 */
export const PERMISSIONS_POLICY = [
  'camera=(self)',
  'microphone=(self)',
  'display-capture=(self)',
  'clipboard-write=(self)',
  'fullscreen=(self)',
  'autoplay=(self)',
  'picture-in-picture=(self)',
  'geolocation=()',
  'payment=()',
  'usb=()',
  'serial=()',
  'hid=()',
  'midi=()',
  'accelerometer=()',
  'gyroscope=()',
  'magnetometer=()',
  'browsing-topics=()',
].join(', ');

export function cspHeader(): string {
  return Object.entries(CSP_DIRECTIVES)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/**
 * helmet with the policy above (its own defaults off, so that nothing is allowed that is not
 * listed here) and its other headers: nosniff, Referrer-Policy no-referrer (room names are in
 * the URL), Cross-Origin-Opener-Policy same-origin, X-Frame-Options DENY for browsers without
 * frame-ancestors. No upgrade-insecure-requests: the app is often opened over plain http on a
 * LAN (phones testing a dev box), where upgrading its requests would break it.
 */
export function securityHeaders(): RequestHandler[] {
  const directives: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(CSP_DIRECTIVES)) directives[name] = [...values];
  return [
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives },
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginOpenerPolicy: { policy: 'same-origin' },
      xFrameOptions: { action: 'deny' },
    }),
    (_req, res, next) => {
      res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
      next();
    },
  ];
}
