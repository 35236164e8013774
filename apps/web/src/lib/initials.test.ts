import { describe, expect, it } from 'vitest';
import { avatarHue, initials } from './initials.ts';

describe('initials', () => {
  it('takes the first letters of the first and last words', () => {
    expect(initials('ada lovelace')).toBe('AL');
    expect(initials('  Grace  Brewster Murray Hopper ')).toBe('GH');
  });
  it('uses one letter for a single word', () => {
    expect(initials('linus')).toBe('L');
  });
  it('keeps whole graphemes', () => {
    expect(initials('Émile Zola')).toBe('ÉZ');
    expect(initials('👩‍💻 coder')).toBe('👩‍💻C');
  });
  it('falls back to a question mark for an empty name', () => {
    expect(initials('   ')).toBe('?');
  });
});

describe('avatarHue', () => {
  it('is stable and in range', () => {
    expect(avatarHue('ada')).toBe(avatarHue('ada'));
    for (const s of ['', 'a', 'zzzzzzzzzzzzzzzzzzzzzzzzzz']) {
      expect(avatarHue(s)).toBeGreaterThanOrEqual(0);
      expect(avatarHue(s)).toBeLessThan(360);
    }
  });
});
