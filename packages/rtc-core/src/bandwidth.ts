import { MEDIA_SOURCES, type MediaSource, type MediaState, type VideoWant } from '@meshmeet/protocol/checks';
import { cameraStep } from './videoSteps.ts';
import { wantedCamera } from './videoWants.ts';

export interface VideoCaps {
  /** Max bitrate in bits per second for the camera sender towards one peer; null = no cap. */
  camera: number | null;
  screen: number | null;
}

/**
 * The most one sender sends towards one peer, however large the budget (kbps): a camera's
 * 720p30 looks no better above about 1.5 Mbps, and a shared screen needs more for its text.
 * Without such a ceiling, a 2-person call would put the whole budget on one camera.
 */
export const LINK_CEILING_KBPS: Readonly<Record<'camera' | 'screen', number>> = { camera: 1500, screen: 2500 };

/**
 * The part of a share given to the encoder as its cap: with busy pictures (moving noise) Chromium's
 * encoder ran 5-8% over its maxBitrate even when settled (e2e/uplink-budget.spec.ts, 2 cores), so
 * a cap of the whole share would overrun the budget.
 */
export const ENCODER_HEADROOM = 0.92;

/**
 * Splits the video uplink budget across the connections to `peerCount` others: each connection
 * gets an equal share; within it a shared screen gets two thirds when the camera is also on,
 * since screen content needs the detail more. Each share stops at LINK_CEILING_KBPS, and the cap
 * is ENCODER_HEADROOM of it.
 */
export function splitUplink(budgetKbps: number | undefined, peerCount: number, media: MediaState): VideoCaps {
  if (budgetKbps === undefined || !(budgetKbps > 0) || peerCount < 1) return { camera: null, screen: null };
  const perPeer = budgetKbps / peerCount;
  const both = media.camera && media.screen;
  const bps = (kbps: number, ceiling: number) => Math.floor(Math.min(kbps, ceiling) * ENCODER_HEADROOM * 1000);
  return {
    camera: bps(both ? perPeer / 3 : perPeer, LINK_CEILING_KBPS.camera),
    screen: bps(both ? (perPeer * 2) / 3 : perPeer, LINK_CEILING_KBPS.screen),
  };
}

/** The smallest of the limits that are set (positive); undefined when none is. */
export function lowestLimit(...limits: ReadonlyArray<number | null | undefined>): number | undefined {
  const lowest = Math.min(...limits.map((kbps) => (kbps && kbps > 0 ? kbps : Infinity)));
  return lowest < Infinity ? lowest : undefined;
}

/** Fields of a sender's first encoding to set; null removes one (the browser's default again). */
export type EncodingPatch = { [K in 'active' | 'maxBitrate' | 'scaleResolutionDownBy' | 'maxFramerate' | 'priority' | 'networkPriority']?: RTCRtpEncodingParameters[K] | null };

/**
 * Sets fields of a sender's first encoding in one setParameters call, none when nothing changes;
 * throws where the implementation refuses. A browser without a field (`priority`) ignores it.
 * Resolves false when the sender has no encoding yet (not negotiated), true otherwise.
 */
export async function tuneSender(sender: RTCRtpSender, patch: EncodingPatch): Promise<boolean> {
  const parameters = sender.getParameters();
  const encoding = parameters.encodings?.[0] as Record<string, unknown> | undefined;
  if (!encoding) return false; // not negotiated yet; tuned again once connected
  let changed = false;
  for (const [key, value] of Object.entries(patch)) {
    if (encoding[key] === (value ?? undefined)) continue;
    if (value === null) delete encoding[key];
    else encoding[key] = value;
    changed = true;
  }
  if (changed) await sender.setParameters(parameters);
  return true;
}

/** The connections' senders, as the budget sees them. */
export interface BudgetedLink {
  readonly remoteId: string;
  transceiver(source: MediaSource): RTCRtpTransceiver | null;
}

/**
 * Applies an uplink budget to a mesh's connections, again whenever they, the local media or a
 * limit change. The budget is the lowest of the server's (join answer), the app's (option) and
 * the user's (data saver). The camera also takes the step of `cameraStep` for the room's size.
 * Priorities (bitrate share within a connection when it is congested, and DSCP where enabled):
 * audio high, so speech is never starved; a shared screen above the camera. A refused
 * setParameters (wrtc has none that works) leaves that sender as it was, so the next change tries
 * it again; each distinct refusal is reported once.
 */
export class UplinkBudget {
  /** The server's, the app's (option) and the user's limits, kbps; unset = undefined or null. */
  readonly #limits: Array<number | null | undefined>;
  readonly #onRefused: (peerId: string, error: unknown) => void;
  readonly #refusals = new Set<string>();
  /**
   * The patch each sender last took (or is taking). In a browser getParameters is a blocking hop
   * to the WebRTC thread, which a join keeps busy: a patch it already has is not read again.
   */
  readonly #applied = new WeakMap<RTCRtpSender, string>();

  constructor(optionKbps: number | undefined, onRefused: (peerId: string, error: unknown) => void) {
    this.#limits = [undefined, optionKbps, null];
    this.#onRefused = onRefused;
  }

  /** The budget in force (kbps), or undefined when nobody set one. */
  get kbps(): number | undefined {
    return lowestLimit(...this.#limits);
  }

  setServerLimit(kbps: number | undefined): void {
    this.#limits[0] = kbps;
  }

  setUserLimit(kbps: number | null): void {
    this.#limits[2] = kbps;
  }

  /** `wantOf`: what each link's receiver asked of our camera (`want`); `full` when not given. */
  apply(links: readonly BudgetedLink[], media: MediaState, wantOf?: (link: BudgetedLink) => VideoWant): void {
    const caps = splitUplink(this.kbps, links.length, media);
    const patches: Record<MediaSource, EncodingPatch> = {
      mic: { priority: 'high', networkPriority: 'high' },
      camera: { maxBitrate: caps.camera, ...cameraStep(links.length, media.screen), priority: 'low' },
      screen: { maxBitrate: caps.screen, priority: 'medium' },
    };
    for (const link of links) {
      for (const source of MEDIA_SOURCES) {
        const sender = link.transceiver(source)?.sender;
        const patch = source === 'camera' ? wantedCamera(patches.camera, wantOf?.(link) ?? 'full') : patches[source];
        if (sender) this.#tune(sender, patch, link.remoteId);
      }
    }
  }

  #tune(sender: RTCRtpSender, patch: EncodingPatch, peerId: string): void {
    const key = JSON.stringify(patch);
    if (this.#applied.get(sender) === key) return;
    this.#applied.set(sender, key);
    tuneSender(sender, patch).then(
      (settled) => {
        if (!settled && this.#applied.get(sender) === key) this.#applied.delete(sender);
      },
      (error: unknown) => {
        if (this.#applied.get(sender) === key) this.#applied.delete(sender);
        this.#refused(peerId, error);
      },
    );
  }

  /** Reports a refusal unlike those before it (a bounded few: the log is not flooded). */
  #refused(peerId: string, error: unknown): void {
    const key = String(error);
    if (this.#refusals.has(key) || this.#refusals.size > 15) return;
    this.#refusals.add(key);
    this.#onRefused(peerId, error);
  }
}
