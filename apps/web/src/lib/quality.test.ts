import { describe, expect, it } from 'vitest';
import { QUALITY_LIMITS, pathLabel, qualityDetail, qualityOf } from './quality.ts';

/** A link whose lifetime loss is `lifetime` and whose last few seconds had `loss` and `rtt`. */
const link = (loss: number, rtt: number | null, lifetime = 0) => ({
  roundTripTimeMs: rtt,
  packetLossPct: lifetime,
  inboundKbps: 900,
  recent: { lossPct: loss, rttMs: rtt, jitterMs: null },
});

describe('qualityOf', () => {
  it('grades by the recent loss and round trip', () => {
    expect(qualityOf(link(0, 40))).toBe('good');
    expect(qualityOf(link(0, 260))).toBe('fair');
    expect(qualityOf(link(2, 40))).toBe('fair');
    expect(qualityOf(link(0, 400))).toBe('poor');
    expect(qualityOf(link(5, null))).toBe('poor');
  });

  it('follows the recent figures, not the lifetime loss', () => {
    expect(qualityOf(link(0, 40, 12))).toBe('good');
    expect(qualityOf(link(8, 40, 0.5))).toBe('poor');
  });

  it('treats an unknown round trip as no delay, and falls back to the latest one while the window has none', () => {
    expect(qualityOf(link(0, null))).toBe('good');
    expect(qualityOf({ ...link(0, null), roundTripTimeMs: 450 })).toBe('poor');
  });

  it('comes down only below the lower thresholds (hysteresis)', () => {
    // 4% loss: fair when coming from good, still poor when coming from poor.
    expect(qualityOf(link(4, 40), 'good')).toBe('fair');
    expect(qualityOf(link(4, 40), 'poor')).toBe('poor');
    expect(qualityOf(link(2.5, 40), 'poor')).toBe('fair');
    expect(qualityOf(link(1.5, 40), 'fair')).toBe('fair');
    expect(qualityOf(link(1.5, 40), 'good')).toBe('good');
    expect(qualityOf(link(0.5, 40), 'poor')).toBe('good');
    expect(qualityOf(link(0, 320), 'poor')).toBe('poor');
    expect(qualityOf(link(0, 220), 'fair')).toBe('fair');
    expect(qualityOf(link(0, 150), 'fair')).toBe('good');
  });

  it('keeps its limits ordered: every leave below its enter, fair below poor', () => {
    for (const { enter, leave } of Object.values(QUALITY_LIMITS)) {
      expect(leave.lossPct).toBeLessThan(enter.lossPct);
      expect(leave.rttMs).toBeLessThan(enter.rttMs);
    }
    expect(QUALITY_LIMITS.fair.enter.lossPct).toBeLessThan(QUALITY_LIMITS.poor.leave.lossPct);
  });
});

describe('qualityDetail', () => {
  it('lists the recent figures, leaving out an unknown round trip or jitter', () => {
    expect(qualityDetail({ ...link(0.25, 41.6, 9), inboundKbps: 812.4, recent: { lossPct: 0.25, rttMs: 41.6, jitterMs: 7.4 } })).toBe(
      '42 ms round trip · 0.3% loss · 7 ms jitter · 812 kbps in',
    );
    expect(qualityDetail({ ...link(0, null), inboundKbps: 0 })).toBe('0.0% loss · 0 kbps in');
  });
});

describe('pathLabel', () => {
  it('says direct with the transport, or relayed with how the TURN server is reached, and the round trip', () => {
    expect(pathLabel({ local: 'host', remote: 'host', protocol: 'udp', rttMs: 2.6 })).toBe('Direct · UDP · 3 ms');
    expect(pathLabel({ local: 'srflx', remote: 'prflx', protocol: 'tcp', rttMs: null })).toBe('Direct · TCP');
    expect(pathLabel({ local: 'relay', remote: 'srflx', protocol: 'udp', relayProtocol: 'tcp', rttMs: 40.2 })).toBe('Relayed (TURN/TCP) · 40 ms');
    expect(pathLabel({ local: 'host', remote: 'relay', protocol: 'udp', rttMs: 55 })).toBe('Relayed (TURN) · 55 ms');
  });

  it('is empty while no pair is selected', () => {
    expect(pathLabel(null)).toBe('');
    expect(pathLabel(undefined)).toBe('');
  });
});
