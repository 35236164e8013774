import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits.ts';
import { IceCandidateSchema, SessionDescriptionSchema, SignalMessageSchema, SignalRequestSchema } from './signal.ts';

const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 10.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' };
const OFFER = { type: 'offer', sdp: 'v=0\r\n' };

describe('SignalRequestSchema', () => {
  it('carries exactly one of description or candidate', () => {
    expect(SignalRequestSchema.safeParse({ to: 'p', description: OFFER }).success).toBe(true);
    expect(SignalRequestSchema.safeParse({ to: 'p', candidate: CANDIDATE }).success).toBe(true);
    expect(SignalRequestSchema.safeParse({ to: 'p', candidate: null }).success).toBe(true);
    const neither = SignalRequestSchema.safeParse({ to: 'p' });
    expect(neither.error?.issues[0]?.message).toMatch(/exactly one of description or candidate/);
    expect(SignalRequestSchema.safeParse({ to: 'p', description: OFFER, candidate: CANDIDATE }).success).toBe(false);
    expect(SignalRequestSchema.safeParse({ to: 'p', description: OFFER, candidate: null }).success).toBe(false);
  });

  it('treats a null candidate as end of candidates, not as absent', () => {
    expect(SignalRequestSchema.parse({ to: 'p', candidate: null })).toEqual({ to: 'p', candidate: null });
  });

  it('accepts a from field (the server replaces it)', () => {
    expect(SignalRequestSchema.safeParse({ to: 'p', from: 'q', candidate: null }).success).toBe(true);
  });

  it.each([
    ['a missing target', { candidate: null }],
    ['a from that is not a peer id', { to: 'p', from: { id: 'q' }, candidate: null }],
    ['an extra field', { to: 'p', candidate: null, ttl: 1 }],
    ['a target that is not an id', { to: 'a b', candidate: null }],
    ['a description that is a string', { to: 'p', description: 'v=0' }],
    ['a pranswer', { to: 'p', description: { type: 'pranswer', sdp: '' } }],
    ['a rollback', { to: 'p', description: { type: 'rollback', sdp: '' } }],
  ])('refuses %s', (_what, message) => {
    expect(SignalRequestSchema.safeParse(message).success).toBe(false);
  });
});

describe('SessionDescriptionSchema', () => {
  it('bounds the sdp at 64 KiB', () => {
    expect(SessionDescriptionSchema.safeParse({ type: 'answer', sdp: 'a'.repeat(LIMITS.sdpMaxLength) }).success).toBe(true);
    expect(SessionDescriptionSchema.safeParse({ type: 'answer', sdp: 'a'.repeat(LIMITS.sdpMaxLength + 1) }).success).toBe(false);
    expect(SessionDescriptionSchema.safeParse({ type: 'offer', sdp: 'v=0', extra: 1 }).success).toBe(false);
  });
});

describe('IceCandidateSchema', () => {
  it('accepts an RTCIceCandidateInit with nullable optional fields', () => {
    expect(IceCandidateSchema.parse(CANDIDATE)).toEqual(CANDIDATE);
    const minimal = { candidate: '' };
    expect(IceCandidateSchema.parse(minimal)).toEqual(minimal);
    const nulls = { candidate: 'c', sdpMid: null, sdpMLineIndex: null, usernameFragment: null };
    expect(IceCandidateSchema.parse(nulls)).toEqual(nulls);
  });

  it('bounds every field', () => {
    const ok = (c: object) => IceCandidateSchema.safeParse(c).success;
    expect(ok({ candidate: 'c'.repeat(LIMITS.candidateMaxLength) })).toBe(true);
    expect(ok({ candidate: 'c'.repeat(LIMITS.candidateMaxLength + 1) })).toBe(false);
    expect(ok({ candidate: 'c', sdpMid: 'm'.repeat(LIMITS.candidateFieldMaxLength + 1) })).toBe(false);
    expect(ok({ candidate: 'c', usernameFragment: 'u'.repeat(LIMITS.candidateFieldMaxLength + 1) })).toBe(false);
    expect(ok({ candidate: 'c', sdpMLineIndex: LIMITS.maxMLineIndex })).toBe(true);
    expect(ok({ candidate: 'c', sdpMLineIndex: LIMITS.maxMLineIndex + 1 })).toBe(false);
    expect(ok({ candidate: 'c', sdpMLineIndex: -1 })).toBe(false);
    expect(ok({ candidate: 'c', sdpMLineIndex: 0.5 })).toBe(false);
    expect(ok({ candidate: 'c', foundation: '1' })).toBe(false);
    expect(ok({ sdpMid: '0' })).toBe(false);
  });
});

describe('SignalMessageSchema', () => {
  it('is the relayed form: from instead of to', () => {
    expect(SignalMessageSchema.safeParse({ from: 'p', candidate: null }).success).toBe(true);
    expect(SignalMessageSchema.safeParse({ to: 'p', candidate: null }).success).toBe(false);
    expect(SignalMessageSchema.safeParse({ from: 'p' }).success).toBe(false);
  });
});
