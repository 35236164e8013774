/**
 * Published advisories (2022-2026) for the realtime stack the signaling server and its clients run
 * on. Ranges and fixed versions as published in the advisory named by `source` (GitHub advisory
 * GHSA id and/or NVD/OSV record), looked up 2026-12-03. Each range is `introduced <= v < fixed`.
 *
 * socket.io-client and engine.io-client: no advisory of their own in 2022-2026 was found; they are
 * exposed through socket.io-parser and ws, whose entries below cover every installed copy.
 */
export interface Advisory {
  id: string;
  package: string;
  summary: string;
  /** Where the ranges come from. */
  source: string;
  ranges: { introduced: string; fixed: string }[];
}

export const ADVISORIES: Advisory[] = [
  {
    id: 'CVE-2024-38355',
    package: 'socket.io',
    summary: "a crafted packet triggers an unhandled 'error' event and kills the process",
    source: 'GHSA-25hc-qcg6-38wj',
    ranges: [
      { introduced: '0.0.0', fixed: '2.5.1' },
      { introduced: '3.0.0', fixed: '4.6.2' },
    ],
  },
  {
    id: 'CVE-2026-33151',
    package: 'socket.io-parser',
    summary: 'unbounded number of binary attachments buffered (memory exhaustion)',
    source: 'GHSA-677m-j7p3-52f9; NVD CVE-2026-33151',
    ranges: [
      { introduced: '0.0.0', fixed: '3.3.5' },
      { introduced: '3.4.0', fixed: '3.4.4' },
      { introduced: '4.0.0', fixed: '4.2.6' },
    ],
  },
  {
    id: 'CVE-2026-69185',
    package: 'socket.io-parser',
    summary: 'zero-attachment memory exhaustion (the 4.2.6 attachment limit bypassed)',
    source: 'GHSA-2m8v-j782-fhvr; NVD CVE-2026-69185',
    ranges: [
      { introduced: '0.0.0', fixed: '3.3.6' },
      { introduced: '3.4.0', fixed: '3.4.5' },
      { introduced: '4.0.0', fixed: '4.2.7' },
    ],
  },
  {
    id: 'CVE-2022-2421',
    package: 'socket.io-parser',
    summary: 'insufficient validation of attachment placeholders when decoding',
    source: 'GHSA-qm95-pgcg-qqfq',
    ranges: [
      { introduced: '0.0.0', fixed: '3.3.3' },
      { introduced: '3.4.0', fixed: '3.4.2' },
      { introduced: '4.0.0', fixed: '4.0.5' },
      { introduced: '4.1.0', fixed: '4.2.1' },
    ],
  },
  {
    id: 'CVE-2023-32695',
    package: 'socket.io-parser',
    summary: 'a crafted packet triggers an uncaught exception',
    source: 'GHSA-cqmj-92xf-r6r9',
    ranges: [
      { introduced: '0.0.0', fixed: '3.3.4' },
      { introduced: '3.4.0', fixed: '3.4.3' },
      { introduced: '4.0.4', fixed: '4.2.3' },
    ],
  },
  {
    id: 'CVE-2022-21676',
    package: 'engine.io',
    summary: 'a crafted HTTP request triggers an uncaught exception',
    source: 'GHSA-273r-mgr4-v34f',
    ranges: [
      { introduced: '4.0.0', fixed: '4.1.2' },
      { introduced: '5.0.0', fixed: '5.2.1' },
      { introduced: '6.0.0', fixed: '6.1.1' },
    ],
  },
  {
    id: 'CVE-2022-41940',
    package: 'engine.io',
    summary: 'a crafted HTTP request triggers an uncaught exception (ECONNRESET on an invalid upgrade)',
    source: 'GHSA-r7qp-cfhv-p84w',
    ranges: [
      { introduced: '0.0.0', fixed: '3.6.1' },
      { introduced: '4.0.0', fixed: '6.2.1' },
    ],
  },
  {
    id: 'CVE-2023-31125',
    package: 'engine.io',
    summary: 'a crafted HTTP request triggers an uncaught exception (onWebSocket)',
    source: 'GHSA-q9mw-68c2-j6m5',
    ranges: [{ introduced: '5.1.0', fixed: '6.4.2' }],
  },
  {
    id: 'CVE-2026-59725',
    package: 'engine.io',
    summary: 'invalid binary polling POST leaves the HTTP connection open (connection exhaustion)',
    // The advisory names the fixed version only; every earlier version is treated as affected.
    source: 'GHSA-r635-g3xr-vw7x',
    ranges: [{ introduced: '0.0.0', fixed: '6.6.7' }],
  },
  {
    id: 'CVE-2026-102599',
    package: 'engine.io',
    summary: 'an upgrade with a different EIO revision lets a heartbeat packet crash the process',
    source: 'GHSA-2gc4-cqfq-p2gv',
    ranges: [{ introduced: '6.6.0', fixed: '6.6.10' }],
  },
  {
    id: 'CVE-2024-37890',
    package: 'ws',
    summary: 'an upgrade request with more headers than server.maxHeadersCount crashes the server',
    source: 'GHSA-3h5v-q93c-6h6q',
    ranges: [
      { introduced: '0.0.0', fixed: '5.2.4' },
      { introduced: '6.0.0', fixed: '6.2.3' },
      { introduced: '7.0.0', fixed: '7.5.10' },
      { introduced: '8.0.0', fixed: '8.17.1' },
    ],
  },
  {
    id: 'CVE-2026-45736',
    package: 'ws',
    summary: 'uninitialized memory disclosure through close() with a TypedArray reason',
    source: 'GHSA-58qx-3vcg-4xpx',
    ranges: [{ introduced: '8.0.0', fixed: '8.20.1' }],
  },
  {
    id: 'CVE-2026-48779',
    package: 'ws',
    summary: 'memory exhaustion from many tiny fragments and data chunks',
    // No GHSA id for this one was found in the reference corpus; the ranges are NVD's.
    source: 'NVD CVE-2026-48779',
    ranges: [
      { introduced: '1.1.0', fixed: '5.2.5' },
      { introduced: '6.0.0', fixed: '6.2.4' },
      { introduced: '7.0.0', fixed: '7.5.11' },
      { introduced: '8.0.0', fixed: '8.21.0' },
    ],
  },
];
