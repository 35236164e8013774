/**
 * A Node participant: joins a room with a synthetic camera and prints, every second, how many
 * frames it received from each other participant's camera.
 *
 *   node --import tsx examples/node.ts http://localhost:3000 demo
 */
import wrtc from '@roamhq/wrtc';
import { Mesh, type WebRtcImplementation } from '@meshmeet/rtc-core';
import { createSocketIoSignaling } from '@meshmeet/rtc-core/socket-io';

const [url = 'http://localhost:3000', room = 'demo'] = process.argv.slice(2);
const mesh = new Mesh({ signaling: createSocketIoSignaling(url), webrtc: wrtc as unknown as WebRtcImplementation });

// A grey 320x240 picture at 15 fps, through wrtc's nonstandard video source.
const source = new wrtc.nonstandard.RTCVideoSource();
const frame = { width: 320, height: 240, data: new Uint8Array(320 * 240 * 1.5).fill(128) };
const ticker = setInterval(() => source.onFrame(frame), 1000 / 15);
await mesh.setLocalTrack('camera', source.createTrack());

const frames = new Map<string, number>();
mesh.on('trackAdded', ({ participant, source: kind, track }) => {
  if (kind !== 'camera') return;
  const sink = new wrtc.nonstandard.RTCVideoSink(track);
  sink.onframe = () => frames.set(participant.name, (frames.get(participant.name) ?? 0) + 1);
});
mesh.on('participantLeft', (p) => frames.delete(p.name));

const { self, peers } = await mesh.join({ room, name: `node-${process.pid}` });
console.log(`joined ${room} as ${self.id}; already there: ${peers.map((p) => p.name).join(', ') || 'nobody'}`);
const report = setInterval(() => console.log(Object.fromEntries(frames)), 1000);

process.once('SIGINT', async () => {
  clearInterval(report);
  clearInterval(ticker);
  await mesh.close();
  process.exit(0);
});
