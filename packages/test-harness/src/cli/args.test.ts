import { describe, expect, it } from 'vitest';
import { UsageError, parseArgs, roomNames } from './args.ts';

describe('parseArgs', () => {
  it('reads the documented example (after pnpm\'s "--")', () => {
    const o = parseArgs(['--', '--url', 'http://localhost:3000', '--room', 'load', '--count', '6', '--duration', '30s', '--video', '320x240@15', '--rooms', '2']);
    expect(o).toMatchObject({ url: 'http://localhost:3000', room: 'load', count: 6, durationMs: 30_000, video: { width: 320, height: 240, fps: 15 }, rooms: 2, signalingOnly: false });
    expect(roomNames(o)).toEqual(['load-1', 'load-2']);
  });

  it('reads flags with = and the switches', () => {
    expect(parseArgs([]).followSteps).toBe(true);
    const o = parseArgs(['--count=4', '--signaling-only', '--no-audio', '--no-steps', '--video', 'off', '--json', 'r.json', '--html=r.html', '--schedule', 'mic:off@2s']);
    expect(o).toMatchObject({ count: 4, signalingOnly: true, audio: false, followSteps: false, video: null, json: 'r.json', html: 'r.html', schedule: [{ atMs: 2000, source: 'mic', on: false }] });
    expect(roomNames(o)).toEqual(['load']);
  });

  it('answers bad input with a UsageError that names the problem', () => {
    expect(() => parseArgs(['--count', '0'])).toThrow(UsageError);
    expect(() => parseArgs(['--count'])).toThrow(/--count needs a value/);
    expect(() => parseArgs(['--video', '320x241@15'])).toThrow(/even/);
    expect(() => parseArgs(['--room', 'a b'])).toThrow(/--room/);
    expect(() => parseArgs(['--url', 'not a url'])).toThrow(UsageError);
    expect(() => parseArgs(['--frobnicate'])).toThrow(/unknown option "--frobnicate"/);
  });
});

describe('--chat and --no-data', () => {
  it('parse a message and its time, repeatedly, and keep an "@" inside the text', async () => {
    const { parseArgs: parse, parseChat } = await import('./args.ts');
    expect(parseChat('hello@5s')).toEqual({ text: 'hello', atMs: 5000 });
    expect(parseChat('mail me@example.org@2s')).toEqual({ text: 'mail me@example.org', atMs: 2000 });
    expect(() => parseChat('no time')).toThrow(/text@time/);
    expect(() => parseChat('x@soon')).toThrow();
    const options = parse(['--chat', 'a@1s', '--chat', 'b@2s', '--no-data']);
    expect(options.chat).toEqual([{ text: 'a', atMs: 1000 }, { text: 'b', atMs: 2000 }]);
    expect(options.dataChannels).toBe(false);
  });
});
