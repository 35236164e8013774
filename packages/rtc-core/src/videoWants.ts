import { VIDEO_WANTS, type LinkMessage, type VideoWant } from '@meshmeet/protocol/checks';
import type { EncodingPatch } from './bandwidth.ts';
import { MeshError } from './errors.ts';

/** A `low` camera is this much smaller again than its step (each side: a quarter of the pixels). */
export const LOW_SCALE = 2;
/** ...and capped at this part of its link's share. */
export const LOW_BITRATE = 0.25;

/**
 * The camera's patch towards one peer, given what that peer asked for. `none` only switches the
 * encoding off and keeps the rest as the budget set it, so that `full` again is one flag away.
 * Without a budget a `low` picture is left uncapped: its smaller size already lowers the rate.
 */
export function wantedCamera(patch: EncodingPatch, want: VideoWant): EncodingPatch {
  if (want !== 'low') return { ...patch, active: want === 'full' };
  const maxBitrate = patch.maxBitrate ? Math.floor(patch.maxBitrate * LOW_BITRATE) : patch.maxBitrate;
  return { ...patch, active: true, scaleResolutionDownBy: (patch.scaleResolutionDownBy ?? 1) * LOW_SCALE, maxBitrate };
}

/**
 * "Receivers say what they need" (`want` on a link's data channel), both ways. As a receiver: what
 * we want of each peer's camera, sent when it changes and again when a new link's channel opens
 * (a new link starts at `full` on the other side). As a sender: what each link's receiver asked
 * of us, kept per link object, so that a replaced link starts at `full` again. The budget freed by
 * a paused or small camera is not handed to the other links: the split stays by room size, so a
 * tab that hides or shows does not move everybody else's quality.
 */
export class VideoWants {
  readonly #asked = new Map<string, VideoWant>();
  readonly #given = new WeakMap<object, VideoWant>();

  /** Records what we want of `peerId`'s camera and sends it if that changed (when the channel is open). */
  ask(peerId: string, want: VideoWant, send: (message: LinkMessage) => boolean): void {
    if (!VIDEO_WANTS.includes(want)) throw new MeshError('INVALID_ARGUMENT', 'not a video want');
    if ((this.#asked.get(peerId) ?? 'full') === want) return;
    if (want === 'full') this.#asked.delete(peerId);
    else this.#asked.set(peerId, want);
    send({ t: 'want', video: want });
  }

  /** A link's channel to `peerId` opened: the new link starts at `full`, so say otherwise if we must. */
  onOpen(peerId: string, send: (message: LinkMessage) => boolean): void {
    const want = this.#asked.get(peerId);
    if (want) send({ t: 'want', video: want });
  }

  /** The receiver on `link` asked for `want`; true when that changes what we send it. */
  received(link: object, want: VideoWant): boolean {
    if (this.of(link) === want) return false;
    this.#given.set(link, want);
    return true;
  }

  /** What the receiver on `link` asked of our camera. */
  of(link: object): VideoWant {
    return this.#given.get(link) ?? 'full';
  }

  /** That peer left (leaving the room, every peer does): a later one of the same id starts at `full`. */
  forget(peerId: string): void {
    this.#asked.delete(peerId);
  }
}
