import { startSignalingProcess, type SignalingProcess } from '@meshmeet/rtc-core/test-utils';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.ts';
import type { RunReport } from './report.ts';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('bots CLI (real server, real wrtc)', () => {
  let dir: string;
  let server: SignalingProcess;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshmeet-bots-'));
    server = await startSignalingProcess({ MAX_PEERS_PER_ROOM: '2' });
  });
  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs one room of three bots: all six directed flows deliver frames; JSON and HTML reports', async () => {
    const out = capture();
    const json = join(dir, 'run.json');
    const html = join(dir, 'run.html');
    // No --url: the CLI spawns its own local server (rooms of 3 fit its default cap).
    const code = await main(['--', '--room', 'ci', '--count', '3', '--duration', '4s', '--video', '160x120@15', '--json', json, '--html', html, '--quiet'], out.stream);
    expect(out.text()).toContain('flows delivering 6/6');
    expect(code).toBe(0);

    const report = JSON.parse(await readFile(json, 'utf8')) as RunReport;
    expect(report.ok).toBe(true);
    expect(report.bots.map((b) => b.name).sort()).toEqual(['bot 1-1', 'bot 1-2', 'bot 1-3']);
    expect(report.flows).toHaveLength(6);
    const directed = new Set(report.flows.map((f) => `${f.from}>${f.to}`));
    expect(directed.size).toBe(6);
    for (const flow of report.flows) {
      expect(flow.expected).toBe(true);
      expect(flow.firstFrameMs).not.toBeNull();
      expect(flow.framesReceived).toBeGreaterThan(0);
      expect(flow.audioPacketsReceived).toBeGreaterThan(0);
    }
    expect(report.media).toMatchObject({ participants: 3, joined: 3, flowsExpected: 6, flowsDelivered: 6 });

    const page = await readFile(html, 'utf8');
    expect(page.match(/<svg /g)?.length).toBe(3);
    expect(page).toContain('Received fps over time per bot');
    for (const name of ['bot 1-1', 'bot 1-2', 'bot 1-3']) expect(page).toContain(name);
  });

  it('exits 1 and names the bot when a participant cannot join (room full)', async () => {
    const out = capture();
    const json = join(dir, 'full.json');
    const code = await main(['--url', server.url, '--room', 'full', '--count', '3', '--duration', '3s', '--video', '160x120@10', '--ramp', '300ms', '--json', json, '--quiet'], out.stream);
    expect(code).toBe(1);
    const report = JSON.parse(await readFile(json, 'utf8')) as RunReport;
    expect(report.ok).toBe(false);
    // Whoever came third (normally bot 1-3, thanks to the ramp) was refused.
    expect(report.failures).toEqual([expect.stringMatching(/^bot 1-[123] never joined full \(ROOM_FULL/)]);
    expect(out.text()).toContain('FAILED');
    // The two that fit still exchanged frames.
    expect(report.flows.filter((f) => f.firstFrameMs !== null)).toHaveLength(2);
  });

  it('signaling-only mode: every pair of every room negotiates through the real server', async () => {
    const out = capture();
    const json = join(dir, 'sig.json');
    const html = join(dir, 'sig.html');
    const code = await main(['--url', server.url, '--signaling-only', '--room', 'sig', '--rooms', '3', '--count', '2', '--duration', '1s', '--json', json, '--html', html, '--quiet'], out.stream);
    expect(code).toBe(0);
    const report = JSON.parse(await readFile(json, 'utf8')) as RunReport;
    expect(report.mode).toBe('signaling-only');
    expect(report.participants).toHaveLength(6);
    expect(new Set(report.participants.map((p) => p.room))).toEqual(new Set(['sig-1', 'sig-2', 'sig-3']));
    expect(report.signaling).toMatchObject({ pairsExpected: 6, pairsNegotiated: 6, rejections: 0 });
    expect(await readFile(html, 'utf8')).toContain('Negotiation time per pair');
  });

  it('answers bad usage with exit code 2', async () => {
    expect(await main(['--count', 'many'], capture().stream)).toBe(2);
  });
});
