import { describe, expect, it } from 'vitest';
import { isOriginAllowed } from './origins.ts';

describe('isOriginAllowed', () => {
  it('lets requests without an Origin through (non-browser clients)', () => {
    expect(isOriginAllowed(undefined, 'meet.example.org', ['https://a.example'])).toBe(true);
  });

  it('allows same origin and localhost by default', () => {
    expect(isOriginAllowed('https://meet.example.org', 'meet.example.org', null)).toBe(true);
    expect(isOriginAllowed('http://localhost:5173', 'meet.example.org', null)).toBe(true);
    expect(isOriginAllowed('http://127.0.0.1:8080', 'meet.example.org', null)).toBe(true);
    expect(isOriginAllowed('http://[::1]:8080', 'meet.example.org', null)).toBe(true);
    expect(isOriginAllowed('https://evil.example', 'meet.example.org', null)).toBe(false);
    expect(isOriginAllowed('https://localhost.evil.example', 'meet.example.org', null)).toBe(false);
    expect(isOriginAllowed('null', 'meet.example.org', null)).toBe(false);
  });

  it('allows only the list (and same origin) when one is given', () => {
    const list = ['https://a.example', 'http://b.example:8080'];
    expect(isOriginAllowed('https://a.example', 'x', list)).toBe(true);
    expect(isOriginAllowed('http://b.example:8080', 'x', list)).toBe(true);
    expect(isOriginAllowed('http://b.example', 'x', list)).toBe(false);
    expect(isOriginAllowed('http://localhost:5173', 'x', list)).toBe(false);
    expect(isOriginAllowed('https://x', 'x', list)).toBe(true);
    expect(isOriginAllowed('https://anything.example', 'x', ['*'])).toBe(true);
  });
});
