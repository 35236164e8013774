import type { MediaState, Peer } from '@meshmeet/protocol';
import type { Member, PasscodeRecord } from '../../session.ts';

/** A member as Redis keeps it (the JSON after "<seq>|<expiry>|"): what a roster needs, no more. */
interface Stored {
  n: string;
  md: MediaState;
  c: string[];
  v: number;
}

export function memberBody(m: Member): string {
  const stored: Stored = { n: m.name, md: m.media, c: [...m.caps], v: m.revision };
  return JSON.stringify(stored);
}

/** One roster entry, as a member of `recipientRevision` sees it (a wave-1 client never gets caps). */
export function peerFromBody(id: string, body: string, recipientRevision: number): Peer {
  const stored = JSON.parse(body) as Stored;
  const peer: Peer = { id, name: stored.n, media: { mic: stored.md.mic, camera: stored.md.camera, screen: stored.md.screen } };
  if (recipientRevision >= 2) peer.caps = [...stored.c];
  return peer;
}

/** A passcode record as one Redis string: hex salt, a colon, hex scrypt hash. */
export function encodePasscode(record: PasscodeRecord): string {
  return `${record.salt.toString('hex')}:${record.hash.toString('hex')}`;
}

export function decodePasscode(text: string): PasscodeRecord {
  const [salt = '', hash = ''] = text.split(':');
  return { salt: Buffer.from(salt, 'hex'), hash: Buffer.from(hash, 'hex') };
}
