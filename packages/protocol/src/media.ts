import { z } from 'zod';

export { MEDIA_SOURCES, NO_MEDIA, TRANSCEIVER_KINDS, type MediaSource } from './values.ts';

/** What a participant is sending: each flag says whether that source is on. */
export const MediaStateSchema = z.strictObject({
  mic: z.boolean(),
  camera: z.boolean(),
  screen: z.boolean(),
});
export type MediaState = z.infer<typeof MediaStateSchema>;

/** server -> client: a roommate's media state changed. */
export const MediaMessageSchema = MediaStateSchema.extend({
  id: z.string().min(1).max(64),
});
export type MediaMessage = z.infer<typeof MediaMessageSchema>;
