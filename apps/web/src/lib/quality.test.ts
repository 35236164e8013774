import { describe, expect, it } from 'vitest';
import { pathLabel, qualityDetail, qualityOf } from './quality.ts';

describe('qualityOf', () => {
  it('grades by loss and round-trip time', () => {
    expect(qualityOf({ roundTripTimeMs: 40, packetLossPct: 0, inboundKbps: 900 })).toBe('good');
    expect(qualityOf({ roundTripTimeMs: 350, packetLossPct: 0, inboundKbps: 900 })).toBe('fair');
    expect(qualityOf({ roundTripTimeMs: 40, packetLossPct: 3, inboundKbps: 900 })).toBe('fair');
    expect(qualityOf({ roundTripTimeMs: 700, packetLossPct: 0, inboundKbps: 900 })).toBe('poor');
    expect(qualityOf({ roundTripTimeMs: null, packetLossPct: 12, inboundKbps: 100 })).toBe('poor');
  });
  it('treats an unknown round trip as no delay', () => {
    expect(qualityOf({ roundTripTimeMs: null, packetLossPct: 0, inboundKbps: 0 })).toBe('good');
  });
});

describe('qualityDetail', () => {
  it('lists the figures, leaving out an unknown round trip', () => {
    expect(qualityDetail({ roundTripTimeMs: 41.6, packetLossPct: 0.25, inboundKbps: 812.4 })).toBe('42 ms round trip · 0.3% loss · 812 kbps in');
    expect(qualityDetail({ roundTripTimeMs: null, packetLossPct: 0, inboundKbps: 0 })).toBe('0.0% loss · 0 kbps in');
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
