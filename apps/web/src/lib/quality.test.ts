import { describe, expect, it } from 'vitest';
import { qualityDetail, qualityOf } from './quality.ts';

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
