// What travels on a node's channel (P sig:<node>), one line per header, the message JSON last
// (ids, rooms and bindings hold no newline; JSON.stringify writes none):
//   "<socket id>\n<target id>\n<room>\n<JSON>"         routed by the route script (checked there)
//   "><sender binding>\n<socket id>\n<target id>\n<room>\n<JSON>"
//                                                       sent straight by the sender's node from its
//                                                       binding cache: the receiver checks it
//   "?<note>\n<node>\n<room>\n<peer id>"               a note between nodes (fastRelay.ts)
// Socket ids are base64url, so they never start with '>' or '?'.

/** One signal read off this node's channel. */
export interface ChannelSignal {
  socketId: string;
  to: string;
  room: string;
  text: string;
  /** The sender's binding when its node sent it straight from its cache; '' when the route script did. */
  via: string;
}

export type NoteKind = 'stale' | 'fence' | 'fenced';

/** stale: a cached binding of `id` pointed here, wrongly; fence / fenced: see fastRelay.ts. */
export interface ChannelNote {
  note: NoteKind;
  /** The node that wrote the note. */
  node: string;
  room: string;
  id: string;
}

const NOTES: ReadonlySet<string> = new Set<NoteKind>(['stale', 'fence', 'fenced']);

export function fastPayload(senderBinding: string, socketId: string, to: string, room: string, text: string): string {
  return `>${senderBinding}\n${socketId}\n${to}\n${room}\n${text}`;
}

export function notePayload(note: NoteKind, node: string, room: string, id: string): string {
  return `?${note}\n${node}\n${room}\n${id}`;
}

export function parseChannel(payload: string): ChannelSignal | ChannelNote | null {
  if (payload.startsWith('?')) {
    const [note, node, room, id, ...rest] = payload.slice(1).split('\n');
    if (!NOTES.has(note!) || !node || room === undefined || !id || rest.length > 0) return null;
    return { note: note as NoteKind, node, room, id };
  }
  let via = '';
  let start = 0;
  if (payload.startsWith('>')) {
    start = payload.indexOf('\n') + 1;
    via = payload.slice(1, start - 1);
    if (start === 0 || via.indexOf('|') < 1) return null;
  }
  const a = payload.indexOf('\n', start);
  const b = payload.indexOf('\n', a + 1);
  const c = payload.indexOf('\n', b + 1);
  if (a < start + 1 || b < 0 || c < 0) return null;
  return { socketId: payload.slice(start, a), to: payload.slice(a + 1, b), room: payload.slice(b + 1, c), text: payload.slice(c + 1), via };
}
