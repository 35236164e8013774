import { describe, expect, it } from 'vitest';
import { utf8Length } from './utf8.ts';

describe('utf8Length', () => {
  it('agrees with TextEncoder on every kind of character, lone surrogates included', () => {
    for (const text of ['', 'abc', 'é', '€', '李雷', '🦊', 'a🦊b€é', '\ud800', 'x\udc00y', 'é'.repeat(2049)]) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});
