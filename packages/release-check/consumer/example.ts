// Compiled by tsc in the temporary project with strict, exactOptionalPropertyTypes and nodenext
// against the shipped .d.ts (skipLibCheck off, so the declarations themselves are checked too).
// It leaves @roamhq/wrtc out: that package's own declarations do not pass skipLibCheck off.
import { checkJoinRequest, MEDIA_SOURCES, type JoinResult, type MediaSource } from '@meshmeet/protocol/checks';
import { JoinResultSchema, type ServerToClientEvents } from '@meshmeet/protocol';
import { Mesh, MeshError, consoleLogger, type MeshEvents, type MeshOptions, type PeerStats, type SignalingChannel, type WebRtcImplementation } from '@meshmeet/rtc-core';
import { createSocketIoSignaling, type SocketIoSignalingOptions } from '@meshmeet/rtc-core/socket-io';

const channelOptions: SocketIoSignalingOptions = { timeoutMs: 5000, logger: consoleLogger() };
const signaling: SignalingChannel = createSocketIoSignaling('http://localhost:3000', channelOptions);
const options: MeshOptions = { signaling, webrtc: { RTCPeerConnection: globalThis.RTCPeerConnection } satisfies WebRtcImplementation, statsIntervalMs: 1000 };
const mesh = new Mesh(options);

const onJoined: MeshEvents['participantJoined'] = (participant) => console.log(participant.id, participant.name, participant.media.camera);
const off = mesh.on('participantJoined', onJoined);
mesh.on('stats', (stats: Map<string, PeerStats>) => console.log(stats.size));
mesh.on('error', (error: MeshError) => console.log(error.code, error.peerId));

const sources: readonly MediaSource[] = MEDIA_SOURCES;
const request = checkJoinRequest({ room: 'demo', name: 'typed' });
if (request.success) {
  const joined = await mesh.join({ room: request.data.room, name: request.data.name });
  console.log(joined.self.id, joined.peers.length, sources.length);
}
const answer: JoinResult = JoinResultSchema.parse({ ok: false, error: { code: 'ROOM_FULL', message: 'full' } });
const onSignal: ServerToClientEvents['signal'] = (message) => console.log(message.from);
console.log(answer.ok, typeof onSignal);
off();
await mesh.close();
