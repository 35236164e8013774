import { describe, expect, it } from 'vitest';
import { INITIAL_SPEAKER_STATE, featuredTile, nextSpeaker, type SpeakerState } from './activeSpeaker.ts';

/** Feeds `frames` of levels every `stepMs`, returning the speaker after each. */
function run(frames: Array<Record<string, number>>, stepMs = 100, start: SpeakerState = INITIAL_SPEAKER_STATE, t0 = 0) {
  let state = start;
  const speakers: Array<string | null> = [];
  frames.forEach((frame, i) => {
    state = nextSpeaker(state, new Map(Object.entries(frame)), t0 + i * stepMs);
    speakers.push(state.current);
  });
  return { state, speakers };
}

const repeat = <T>(value: T, n: number): T[] => Array.from({ length: n }, () => value);

describe('nextSpeaker', () => {
  it('picks the first person above the threshold at once', () => {
    const { speakers } = run([{ a: 0, b: 0 }, { a: 0, b: 0.2 }]);
    expect(speakers).toEqual([null, 'b']);
  });

  it('keeps the last speaker while the room is silent', () => {
    const { speakers } = run([{ a: 0.3, b: 0 }, ...repeat({ a: 0, b: 0 }, 50)]);
    expect(speakers.at(-1)).toBe('a');
  });

  it('does not switch for a short burst from someone else (no flicker)', () => {
    const frames = [...repeat({ a: 0.2, b: 0 }, 5), ...repeat({ a: 0.2, b: 0.6 }, 5), ...repeat({ a: 0.2, b: 0 }, 20)];
    const { speakers } = run(frames);
    expect(new Set(speakers)).toEqual(new Set(['a']));
  });

  it('does not switch when the other is only a little louder', () => {
    const { speakers } = run([...repeat({ a: 0.2, b: 0 }, 3), ...repeat({ a: 0.2, b: 0.25 }, 50)]);
    expect(speakers.at(-1)).toBe('a');
  });

  it('switches once someone else has clearly led for the hold time', () => {
    const { speakers } = run([...repeat({ a: 0.2, b: 0 }, 3), ...repeat({ a: 0, b: 0.3 }, 40)]);
    const switchedAt = speakers.indexOf('b');
    // a's activity decays first (about 0.4 s to fall under b / margin), then b must lead 1.2 s.
    expect(switchedAt).toBeGreaterThanOrEqual(3 + 12);
    expect(switchedAt).toBeLessThan(3 + 25);
    expect(speakers.slice(switchedAt).every((s) => s === 'b')).toBe(true);
  });

  it('treats a beeping microphone (one short peak every 500 ms) as a steady speaker', () => {
    const beeps = (id: string) => Array.from({ length: 60 }, (_, i) => ({ a: 0, b: 0, [id]: i % 5 === 0 ? 0.3 : 0 }));
    const first = run(beeps('a'));
    expect(first.speakers.slice(1).every((s) => s === 'a')).toBe(true);
    const second = run(beeps('b'), 100, first.state, 6000);
    expect(second.speakers.at(-1)).toBe('b');
  });

  it('hands over at once when the current speaker leaves', () => {
    const { state } = run([{ a: 0.3, b: 0.1, c: 0 }]);
    expect(nextSpeaker(state, new Map([['b', 0.1], ['c', 0]]), 100).current).toBe('b');
    const quiet = run([{ a: 0.3, c: 0 }]).state;
    expect(nextSpeaker(quiet, new Map([['c', 0]]), 100).current).toBe(null);
  });

  it('restarts the hold when the challenger changes', () => {
    const frames = [
      ...repeat({ a: 0.2, b: 0, c: 0 }, 2),
      ...repeat({ a: 0, b: 0.9, c: 0 }, 10),
      ...repeat({ a: 0, b: 0, c: 1 }, 10),
    ];
    const { speakers } = run(frames);
    expect(speakers.includes('b')).toBe(false);
  });
});

describe('featuredTile', () => {
  it('prefers a pin, then the speaker, then the first other person, then yourself', () => {
    expect(featuredTile('b', 'c', ['b', 'c'], 'me')).toBe('b');
    expect(featuredTile('me', 'c', ['b', 'c'], 'me')).toBe('me');
    expect(featuredTile('gone', 'c', ['b', 'c'], 'me')).toBe('c');
    expect(featuredTile(null, 'gone', ['b', 'c'], 'me')).toBe('b');
    expect(featuredTile(null, null, [], 'me')).toBe('me');
  });
});
