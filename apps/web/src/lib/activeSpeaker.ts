/**
 * Who the speaker view shows large, from everyone's audio levels. Raw levels jump between words
 * (and a fake microphone only beeps twice a second), so each person's level goes through a peak
 * hold that decays, and the large tile changes only when someone else has been clearly louder for
 * a while: a cough or one overlapping word does not move the picture.
 */
export interface SpeakerOptions {
  /** Activity below this counts as silence (0..1, the same RMS scale as the speaking meters). */
  threshold: number;
  /** How much louder (a ratio) a challenger must be than the current speaker. */
  margin: number;
  /** How long (ms) a challenger must stay ahead before it takes over. */
  holdMs: number;
  /** Half-life (ms) of each person's activity once their level drops. */
  decayHalfLifeMs: number;
}

export const DEFAULT_SPEAKER_OPTIONS: SpeakerOptions = {
  threshold: 0.02,
  margin: 1.5,
  holdMs: 1200,
  decayHalfLifeMs: 700,
};

export interface SpeakerState {
  /** The active speaker, kept while the room is silent (the last one to talk stays large). */
  readonly current: string | null;
  /** Who is ahead of the current speaker, and since when. */
  readonly challenger: string | null;
  readonly challengerSince: number;
  /** Smoothed activity per participant. */
  readonly activity: ReadonlyMap<string, number>;
  readonly updatedAt: number | null;
}

export const INITIAL_SPEAKER_STATE: SpeakerState = {
  current: null,
  challenger: null,
  challengerSince: 0,
  activity: new Map(),
  updatedAt: null,
};

/**
 * The next state from the levels measured at `now`. Participants missing from `levels` are gone:
 * if the current speaker is among them, the loudest remaining one takes over at once.
 */
export function nextSpeaker(
  state: SpeakerState,
  levels: ReadonlyMap<string, number>,
  now: number,
  options: SpeakerOptions = DEFAULT_SPEAKER_OPTIONS,
): SpeakerState {
  const elapsed = state.updatedAt === null ? 0 : Math.max(0, now - state.updatedAt);
  const decay = Math.pow(0.5, elapsed / options.decayHalfLifeMs);
  const activity = new Map<string, number>();
  for (const [id, level] of levels) {
    const previous = (state.activity.get(id) ?? 0) * decay;
    activity.set(id, Math.max(level, previous));
  }

  let loudest: string | null = null;
  let loudestLevel = options.threshold;
  for (const [id, level] of activity) {
    if (level >= loudestLevel) {
      loudest = id;
      loudestLevel = level;
    }
  }

  const base = { activity, updatedAt: now };
  const current = state.current !== null && activity.has(state.current) ? state.current : null;
  if (current === null) return { ...base, current: loudest, challenger: null, challengerSince: now };
  if (loudest === null || loudest === current) return { ...base, current, challenger: null, challengerSince: now };

  const currentLevel = activity.get(current) ?? 0;
  const clearlyAhead = currentLevel < options.threshold || loudestLevel >= currentLevel * options.margin;
  if (!clearlyAhead) return { ...base, current, challenger: null, challengerSince: now };
  if (state.challenger !== loudest) return { ...base, current, challenger: loudest, challengerSince: now };
  if (now - state.challengerSince >= options.holdMs) return { ...base, current: loudest, challenger: null, challengerSince: now };
  return { ...base, current, challenger: state.challenger, challengerSince: state.challengerSince };
}

/** The tile shown large: a pin wins, then the active speaker, then the first other person. */
export function featuredTile(pinned: string | null, speaker: string | null, ids: readonly string[], selfId: string): string {
  if (pinned !== null && (ids.includes(pinned) || pinned === selfId)) return pinned;
  if (speaker !== null && ids.includes(speaker)) return speaker;
  return ids[0] ?? selfId;
}
