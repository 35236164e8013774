import { LIMITS, SignalRequestSchema } from '@meshmeet/protocol';
import { describe, expect, it } from 'vitest';
import { REALISTIC_SIZES, fakeCandidate, fakeSdp } from './fakeSdp.ts';

describe('fakeSdp / fakeCandidate', () => {
  it('are sized like wrtc\'s and pass the protocol\'s own schema', () => {
    const offer = fakeSdp('offer', REALISTIC_SIZES.offerBytes, 3);
    const answer = fakeSdp('answer', REALISTIC_SIZES.answerBytes, 4);
    expect(offer.length).toBeGreaterThan(REALISTIC_SIZES.offerBytes - 20);
    expect(offer.length).toBeLessThanOrEqual(REALISTIC_SIZES.offerBytes);
    expect(answer.length).toBeLessThanOrEqual(REALISTIC_SIZES.answerBytes);
    expect(offer.match(/^m=/gm)).toHaveLength(3);
    expect(answer).toContain('a=setup:active');
    const candidate = fakeCandidate(1, 'abcd');
    expect(candidate.candidate.length).toBeGreaterThan(80);
    expect(candidate.candidate.length).toBeLessThan(LIMITS.candidateMaxLength);
    expect(SignalRequestSchema.safeParse({ to: 'peer1', description: { type: 'offer', sdp: offer } }).success).toBe(true);
    expect(SignalRequestSchema.safeParse({ to: 'peer1', candidate }).success).toBe(true);
  });
});
