/**
 * Where one connection's offer/answer exchange stands. Every negotiation step of a PeerLink moves
 * between these phases, and only along the edges of LEGAL_MOVES: the rules of perfect negotiation
 * as this engine applies them, in one place.
 */
export type NegotiationState =
  /** Nothing negotiated yet and nothing outstanding (an answerer waiting for the first offer). */
  | { readonly phase: 'new' }
  /** Our offer is out, awaiting its answer (have-local-offer). `first`: no answer has ever been applied. */
  | { readonly phase: 'offering'; readonly first: boolean; readonly iceRestart: boolean; readonly sdp: string }
  /** A remote offer is being applied and answered (have-remote-offer); lasts one step. */
  | { readonly phase: 'answering'; readonly first: boolean }
  /** Negotiated, nothing outstanding. */
  | { readonly phase: 'stable' }
  | { readonly phase: 'closed' };

export type NegotiationPhase = NegotiationState['phase'];

export const LEGAL_MOVES: Readonly<Record<NegotiationPhase, readonly NegotiationPhase[]>> = {
  new: ['offering', 'answering', 'closed'],
  // -> answering: the polite side rolls back its offer for the other's (glare);
  // -> stable: the answer came, or a renegotiation offer was rolled back after it went unanswered.
  offering: ['stable', 'answering', 'closed'],
  answering: ['stable', 'closed'],
  stable: ['offering', 'answering', 'closed'],
  closed: [],
};

/** The RTCSignalingState a phase stands for (mirrored, since wrtc's getters block). */
export function signalingStateOf(state: NegotiationState): RTCSignalingState {
  switch (state.phase) {
    case 'offering':
      return 'have-local-offer';
    case 'answering':
      return 'have-remote-offer';
    case 'closed':
      return 'closed';
    default:
      return 'stable';
  }
}

/** Whether an answer has been applied at least once (the connection has a negotiated layout). */
export function isNegotiated(state: NegotiationState): boolean {
  if (state.phase === 'stable') return true;
  if (state.phase === 'offering' || state.phase === 'answering') return !state.first;
  return false;
}

export class IllegalMoveError extends Error {
  constructor(from: NegotiationPhase, to: NegotiationPhase) {
    super(`negotiation cannot move from ${from} to ${to}`);
    this.name = 'IllegalMoveError';
  }
}

/** The next state, checked against LEGAL_MOVES; throws IllegalMoveError (a bug) otherwise. */
export function move(from: NegotiationState, to: NegotiationState): NegotiationState {
  if (!LEGAL_MOVES[from.phase].includes(to.phase)) throw new IllegalMoveError(from.phase, to.phase);
  return to;
}
