/** How the camera's encoder is set towards each peer: a fraction of the captured size and a frame rate cap. */
export interface VideoStep {
  scaleResolutionDownBy: number;
  maxFramerate: number;
}

/**
 * The camera's steps, relative to what is captured (the web app captures 640x360 at up to 30
 * fps: 640x360@30, 427x240@24, 320x180@20, 256x144@15, 213x120@12). A mesh encodes the camera
 * once per peer, so the sender's work and uplink grow with the room; each step keeps the sum over
 * all links (about 14, 10, 7, 4.4 Mpixel/s at the top of each band) at or below that of a
 * 3-person call, where tiles are also large enough to show the detail. The bands follow
 * Nextcloud Talk's (full alone, lower from 4, lowest from 7), in pairs of others. The last step
 * is only reached while a screen is shared.
 */
const STEPS: ReadonlyArray<readonly [scale: number, fps: number]> = [
  [1, 30], // 1-2 others
  [1.5, 24], // 3-4
  [2, 20], // 5-6
  [2.5, 15], // 7+
  [3, 12],
];

/**
 * The camera's step for `others` remote participants; while our screen is shared, one step
 * lower, so the screen has the uplink and the encoder time.
 */
export function cameraStep(others: number, screenShared: boolean): VideoStep {
  const band = Math.min(Math.max(others - 1, 0) >> 1, 3); // pairs of others: 1-2 -> 0, 3-4 -> 1, ...
  const [scaleResolutionDownBy, maxFramerate] = STEPS[band + (screenShared ? 1 : 0)]!;
  return { scaleResolutionDownBy, maxFramerate };
}
