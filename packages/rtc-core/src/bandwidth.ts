import type { MediaState } from '@meshmeet/protocol';

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
