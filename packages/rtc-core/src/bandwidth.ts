import type { MediaState } from '@meshmeet/protocol/checks';

export interface VideoCaps {
  /** Max bitrate in bits per second for the camera sender towards one peer; null = no cap. */
  camera: number | null;
  screen: number | null;
}

/**
 * Splits the video uplink budget across the connections to `peerCount` others: each connection
 * gets an equal share; within it a shared screen gets two thirds when the camera is also on,
 * since screen content needs the detail more.
 */
export function splitUplink(budgetKbps: number | undefined, peerCount: number, media: MediaState): VideoCaps {
  if (budgetKbps === undefined || !(budgetKbps > 0) || peerCount < 1) return { camera: null, screen: null };
  const perPeer = (budgetKbps * 1000) / peerCount;
  if (media.camera && media.screen) {
    return { camera: Math.floor(perPeer / 3), screen: Math.floor((perPeer * 2) / 3) };
  }
  return { camera: Math.floor(perPeer), screen: Math.floor(perPeer) };
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
 * Applies an uplink budget to a mesh's connections, again whenever they or the local media
 * change. The first refusal (wrtc has no working setParameters) is reported once through
 * `onUnsupported`, and the budget stops being applied.
 */
export class UplinkBudget {
  readonly #budgetKbps: number | undefined;
  readonly #onUnsupported: (peerId: string, error: unknown) => void;
  #unsupported = false;

  constructor(budgetKbps: number | undefined, onUnsupported: (peerId: string, error: unknown) => void) {
    this.#budgetKbps = budgetKbps;
    this.#onUnsupported = onUnsupported;
  }

  apply(links: readonly BudgetedLink[], media: MediaState): void {
    if (this.#budgetKbps === undefined || this.#unsupported) return;
    const caps = splitUplink(this.#budgetKbps, links.length, media);
    for (const link of links) {
      for (const source of ['camera', 'screen'] as const) {
        const sender = link.transceiver(source)?.sender;
        if (!sender) continue;
        capSender(sender, caps[source]).catch((error: unknown) => {
          if (this.#unsupported) return;
          this.#unsupported = true;
          this.#onUnsupported(link.remoteId, error);
        });
      }
    }
  }
}
