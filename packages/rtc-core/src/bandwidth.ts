import type { MediaState } from '@meshmeet/protocol/checks';

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
 * Splits the video uplink budget across the connections to `peerCount` others: each connection
 * gets an equal share; within it a shared screen gets two thirds when the camera is also on,
 * since screen content needs the detail more. Each share stops at LINK_CEILING_KBPS.
 */
export function splitUplink(budgetKbps: number | undefined, peerCount: number, media: MediaState): VideoCaps {
  if (budgetKbps === undefined || !(budgetKbps > 0) || peerCount < 1) return { camera: null, screen: null };
  const perPeer = budgetKbps / peerCount;
  const both = media.camera && media.screen;
  const bps = (kbps: number, ceiling: number) => Math.floor(Math.min(kbps, ceiling) * 1000);
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

/** Sets `maxBitrate` on a sender's first encoding; throws where the implementation refuses. */
export async function capSender(sender: RTCRtpSender, maxBitrate: number | null): Promise<void> {
  const parameters = sender.getParameters();
  const encoding = parameters.encodings?.[0];
  if (!encoding) return; // not negotiated yet; capped again once connected
  if (maxBitrate === null) {
    if (encoding.maxBitrate === undefined) return;
    delete encoding.maxBitrate;
  } else {
    if (encoding.maxBitrate === maxBitrate) return;
    encoding.maxBitrate = maxBitrate;
  }
  await sender.setParameters(parameters);
}

/** The connections' video senders, as the budget sees them. */
export interface BudgetedLink {
  readonly remoteId: string;
  transceiver(source: 'camera' | 'screen'): RTCRtpTransceiver | null;
}

/**
 * Applies an uplink budget to a mesh's connections, again whenever they, the local media or a
 * limit change. The budget is the lowest of the server's (join answer), the app's (option) and
 * the user's (data saver). A refused setParameters (wrtc has none that works) leaves that
 * sender as it was, so the next change tries it again; each distinct refusal is reported once.
 */
export class UplinkBudget {
  /** The server's, the app's (option) and the user's limits, kbps; unset = undefined or null. */
  readonly #limits: Array<number | null | undefined>;
  readonly #onRefused: (peerId: string, error: unknown) => void;
  readonly #refusals = new Set<string>();

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

  apply(links: readonly BudgetedLink[], media: MediaState): void {
    const caps = splitUplink(this.kbps, links.length, media);
    for (const link of links) {
      for (const source of ['camera', 'screen'] as const) {
        const sender = link.transceiver(source)?.sender;
        if (sender) capSender(sender, caps[source]).catch((error: unknown) => this.#refused(link.remoteId, error));
      }
    }
  }

  /** Reports a refusal unlike those before it (a bounded few: the log is not flooded). */
  #refused(peerId: string, error: unknown): void {
    const key = String(error);
    if (this.#refusals.has(key) || this.#refusals.size > 15) return;
    this.#refusals.add(key);
    this.#onRefused(peerId, error);
  }
}
