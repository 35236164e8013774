import { z } from 'zod';

/** What a participant is sending: each flag says whether that source is on. */
export const MediaStateSchema = z.strictObject({
  mic: z.boolean(),
  camera: z.boolean(),
  screen: z.boolean(),
});
export type MediaState = z.infer<typeof MediaStateSchema>;

export const NO_MEDIA: Readonly<MediaState> = Object.freeze({ mic: false, camera: false, screen: false });

/** server -> client: a roommate's media state changed. */
export const MediaMessageSchema = MediaStateSchema.extend({
  id: z.string().min(1).max(64),
});
export type MediaMessage = z.infer<typeof MediaMessageSchema>;

/**
 * The three sources in the order of the transceivers every connection carries:
 * m-line 0 audio (mic), 1 video (camera), 2 video (screen).
 */
export const MEDIA_SOURCES = ['mic', 'camera', 'screen'] as const;
export type MediaSource = (typeof MEDIA_SOURCES)[number];
export const TRANSCEIVER_KINDS: Readonly<Record<MediaSource, 'audio' | 'video'>> = {
  mic: 'audio',
  camera: 'video',
  screen: 'video',
};
