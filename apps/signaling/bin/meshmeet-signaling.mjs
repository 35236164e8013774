#!/usr/bin/env node
// `npx @meshmeet/signaling`: the bundled server, serving the web app shipped in this package
// unless WEB_DIST says otherwise. Every other setting comes from the environment as documented
// in the README (PORT, HOST, ICE_SERVERS, ...).
import { fileURLToPath } from 'node:url';

process.env.WEB_DIST ??= fileURLToPath(new URL('../dist/web', import.meta.url));
await import('../dist/main.js');
