import { describe, expect, it } from 'vitest';
import { IllegalMoveError, isNegotiated, LEGAL_MOVES, move, signalingStateOf, type NegotiationState } from './NegotiationState.ts';

const offering = (first: boolean): NegotiationState => ({ phase: 'offering', first, iceRestart: !first, sdp: 'v=0' });

describe('NegotiationState', () => {
  it('allows the moves of perfect negotiation and nothing else', () => {
    expect(move({ phase: 'new' }, offering(true)).phase).toBe('offering');
    expect(move(offering(true), { phase: 'stable' }).phase).toBe('stable');
    expect(move({ phase: 'stable' }, offering(false)).phase).toBe('offering');
    expect(move(offering(false), { phase: 'answering', first: false }).phase).toBe('answering'); // polite rollback
    expect(() => move({ phase: 'new' }, { phase: 'stable' })).toThrow(IllegalMoveError); // no answer without an offer
    expect(() => move({ phase: 'answering', first: true }, offering(false))).toThrow(IllegalMoveError);
    expect(() => move({ phase: 'closed' }, { phase: 'new' })).toThrow(IllegalMoveError);
    for (const targets of Object.values(LEGAL_MOVES)) expect(targets).not.toContain('new');
  });

  it('counts a link as negotiated once an answer was applied, not while its first offer is out', () => {
    expect(isNegotiated({ phase: 'new' })).toBe(false);
    expect(isNegotiated(offering(true))).toBe(false);
    expect(isNegotiated(offering(false))).toBe(true);
    expect(isNegotiated({ phase: 'answering', first: true })).toBe(false);
    expect(isNegotiated({ phase: 'stable' })).toBe(true);
    expect(isNegotiated({ phase: 'closed' })).toBe(false);
  });

  it('mirrors the RTCSignalingState of each phase', () => {
    expect(signalingStateOf(offering(false))).toBe('have-local-offer');
    expect(signalingStateOf({ phase: 'answering', first: true })).toBe('have-remote-offer');
    expect(signalingStateOf({ phase: 'new' })).toBe('stable');
    expect(signalingStateOf({ phase: 'closed' })).toBe('closed');
  });
});
