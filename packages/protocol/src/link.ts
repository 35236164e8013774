import { z } from 'zod';
import { utf8Length } from './utf8.ts';
import { LIMITS } from './limits.ts';
import { PeerIdSchema } from './room.ts';

/**
 * Messages on a link's data channel (revision 2, capability `data`): peer to peer, never through
 * the server. One JSON object per data-channel message, `t` naming its kind. The sender of a
 * live message is the link's remote peer; only history items name another sender (`from`).
 */

import { REACTIONS, VIDEO_WANTS } from './values.ts';

export { LINK_CHANNEL, REACTIONS, VIDEO_WANTS, type Reaction, type VideoWant } from './values.ts';


export const ChatTextSchema = z
  .string()
  .min(1)
  .max(LIMITS.chatMaxBytes)
  .refine((text) => text.trim().length > 0, 'a message must not be empty')
  .refine((text) => utf8Length(text) <= LIMITS.chatMaxBytes, `a message holds at most ${LIMITS.chatMaxBytes} bytes`);

export const ChatIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a message id');

/** Milliseconds since the Unix epoch on the sender's clock. */
const EpochMsSchema = z.number().int().min(0).max(8.64e15);

export const LinkChatSchema = z.strictObject({
  t: z.literal('chat'),
  id: ChatIdSchema,
  text: ChatTextSchema,
  sentAt: EpochMsSchema,
  /** Only in history items a peer hands to a newcomer: who wrote it. */
  from: PeerIdSchema.optional(),
});

export const LinkHandSchema = z.strictObject({ t: z.literal('hand'), raisedAt: EpochMsSchema.nullable() });
export const LinkReactionSchema = z.strictObject({ t: z.literal('react'), emoji: z.enum(REACTIONS) });

/**
 * What the receiver wants of the sender's camera on this link: `none` (pause it: the tile is not
 * seen), `low` (a smaller layer: the tile is small) or `full`. Each new link starts at `full`.
 */
export const LinkWantSchema = z.strictObject({ t: z.literal('want'), video: z.enum(VIDEO_WANTS) });

export const LinkMessageSchema = z.discriminatedUnion('t', [LinkChatSchema, LinkHandSchema, LinkReactionSchema, LinkWantSchema]);
export type LinkMessage = z.infer<typeof LinkMessageSchema>;
export type LinkChat = z.infer<typeof LinkChatSchema>;
