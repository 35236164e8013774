import { describe, expect, it } from 'vitest';
import { ipKey } from './ipKey.ts';

describe('ipKey', () => {
  it('keeps an IPv4 address, and unwraps an IPv4-mapped IPv6 one', () => {
    expect(ipKey('192.0.2.7')).toBe('192.0.2.7');
    expect(ipKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(ipKey('::FFFF:127.0.0.2')).toBe('127.0.0.2');
  });

  it('groups IPv6 addresses by their /64, however they are written', () => {
    const a = ipKey('2001:db8:1:2:aaaa::1');
    expect(a).toBe('2001:db8:1:2::/64');
    expect(ipKey('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff')).toBe(a);
    expect(ipKey('2001:db8:1:2::dead:beef%eth0')).toBe(a);
    expect(ipKey('2001:db8:1:3::1')).not.toBe(a);
    expect(ipKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipKey('::1')).toBe('0:0:0:0::/64');
    expect(ipKey('fe80::1')).toBe('fe80:0:0:0::/64');
    expect(ipKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });

  it('puts what is not an address under one key', () => {
    expect(ipKey(undefined)).toBe('unknown');
    expect(ipKey('')).toBe('unknown');
    expect(ipKey('not-an-address')).toBe('unknown');
    expect(ipKey('1.2.3')).toBe('unknown');
  });
});
