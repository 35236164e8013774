// Type-level tests of the event maps, checked by `tsc` (pnpm --filter @meshmeet/protocol
// typecheck), not run. Each @ts-expect-error line must fail to compile; if the maps loosen so
// that it compiles, tsc reports the unused directive.
import type { Server } from 'socket.io';
import type { Socket as ClientSocket } from 'socket.io-client';
import type { z } from 'zod';
import type {
  Ack,
  ClientEventName,
  ClientToServerEvents,
  JoinResult,
  Peer,
  ServerEventName,
  ServerToClientEvents,
  SignalMessage,
} from './index.ts';
import { clientEventSchemas, serverEventSchemas } from './index.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

declare const client: ClientSocket<ServerToClientEvents, ClientToServerEvents>;
declare const server: Server<ClientToServerEvents, ServerToClientEvents>;

// --- client -> server ---------------------------------------------------------------------
client.emit('join', { room: 'r', name: 'Ann' }, (result) => {
  if (result.ok) {
    const peers: Peer[] = result.peers;
    const id: string = result.self.id;
    void peers;
    void id;
    // @ts-expect-error a failed join has no peers; narrow on ok first
    void result.error;
  } else {
    const code: 'ROOM_FULL' | 'INVALID_MESSAGE' | 'NOT_IN_ROOM' | 'UNKNOWN_PEER' | 'ALREADY_JOINED' | 'RATE_LIMITED' | 'UNAUTHORIZED' | 'INTERNAL' | 'PASSCODE_REQUIRED' | 'PASSCODE_WRONG' | 'ROOM_LOCKED' | 'FORBIDDEN' | 'UNAVAILABLE' =
      result.error.code;
    void code;
  }
});
client.emit('join', { room: 'r', name: 'Ann', media: { mic: true, camera: false, screen: false } }, () => {});
// @ts-expect-error join needs its ack (the roster comes back in it)
client.emit('join', { room: 'r', name: 'Ann' });
// @ts-expect-error join needs a name
client.emit('join', { room: 'r' }, () => {});
// @ts-expect-error media in a join needs all three flags
client.emit('join', { room: 'r', name: 'Ann', media: { mic: true } }, () => {});

client.emit('signal', { to: 'p', description: { type: 'offer', sdp: 'v=0' } });
client.emit('signal', { to: 'p', candidate: null }, (ack: Ack) => void ack.ok);
client.emit('signal', { to: 'p', candidate: { candidate: 'c', sdpMid: '0', sdpMLineIndex: 0 } });
// @ts-expect-error a signal is addressed
client.emit('signal', { candidate: null });
// @ts-expect-error `from` is the server's to set
client.emit('signal', { to: 'p', from: 'q', candidate: null });
// @ts-expect-error only offers and answers are relayed
client.emit('signal', { to: 'p', description: { type: 'pranswer', sdp: '' } });

client.emit('media', { mic: true, camera: true, screen: false });
// @ts-expect-error media carries all three flags
client.emit('media', { mic: true });

client.emit('leave');
client.emit('leave', (ack) => void ack.ok);
// @ts-expect-error leave has no payload
client.emit('leave', { room: 'r' });

// @ts-expect-error no such event
client.emit('kick', { id: 'p' });
// @ts-expect-error server-to-client events cannot be sent by a client
client.emit('peer-joined', { id: 'p', name: 'x', media: { mic: false, camera: false, screen: false } });

// --- server -> client ---------------------------------------------------------------------
client.on('signal', (message) => {
  const from: string = message.from;
  void from;
  // @ts-expect-error relayed signals carry `from`, never `to`
  void message.to;
});
client.on('peer-joined', (peer) => void peer.media.camera);
client.on('peer-left', ({ id }) => void id.length);
client.on('media', (m) => void (m.id + String(m.screen)));
// @ts-expect-error no such server event
client.on('peer-kicked', () => {});

// --- the server's view ----------------------------------------------------------------------
server.on('connection', (socket) => {
  socket.on('join', (request, ack) => {
    const room: string = request.room;
    void room;
    ack({ ok: false, error: { code: 'ROOM_FULL', message: 'full' } });
    // @ts-expect-error not a JoinResult
    ack({ ok: true });
    // @ts-expect-error not an error code
    ack({ ok: false, error: { code: 'FULL', message: 'full' } });
  });
  socket.on('signal', (message, ack) => {
    socket.to('x').emit('signal', { from: socket.id, description: message.description });
    ack?.({ ok: true });
  });
  socket.emit('peer-left', { id: 'p' });
  // @ts-expect-error peer-left needs the id
  socket.emit('peer-left', {});
  // @ts-expect-error client-to-server events are not sent by the server
  socket.emit('join', { room: 'r', name: 'Ann' }, () => {});
});

// --- the runtime tables match the maps -------------------------------------------------------
assertType<Equal<keyof typeof clientEventSchemas, ClientEventName>>();
assertType<Equal<keyof typeof serverEventSchemas, ServerEventName>>();
assertType<Equal<z.output<typeof serverEventSchemas.signal>, SignalMessage>>();
assertType<Equal<Parameters<Parameters<ClientToServerEvents['join']>[1]>[0], JoinResult>>();
