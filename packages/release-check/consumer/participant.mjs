// One Node participant from the installed packages: sends a synthetic camera, and prints one JSON
// line once it has received `want` frames from another participant's camera. It keeps sending
// until its stdin closes (so the other side gets its frames too), then leaves.
//   node participant.mjs <url> <room> <name> [want]
import wrtc from '@roamhq/wrtc';
import { Mesh } from '@meshmeet/rtc-core';
import { createSocketIoSignaling } from '@meshmeet/rtc-core/socket-io';

const [url, room, name, want = '10'] = process.argv.slice(2);
const mesh = new Mesh({ signaling: createSocketIoSignaling(url), webrtc: wrtc });
const source = new wrtc.nonstandard.RTCVideoSource();
const frame = { width: 160, height: 120, data: new Uint8Array(160 * 120 * 1.5).fill(128) };
const ticker = setInterval(() => source.onFrame(frame), 1000 / 15);
await mesh.setLocalTrack('camera', source.createTrack());

const received = new Promise((resolve) => {
  mesh.on('trackAdded', ({ participant, source: kind, track }) => {
    if (kind !== 'camera') return;
    const sink = new wrtc.nonstandard.RTCVideoSink(track);
    let frames = 0;
    sink.onframe = () => {
      if (++frames < Number(want)) return;
      sink.stop();
      resolve({ from: participant.name, frames });
    };
  });
});
const { self } = await mesh.join({ room, name });
console.log(JSON.stringify({ name, id: self.id, ...(await received) }));

process.stdin.resume();
process.stdin.once('end', async () => {
  clearInterval(ticker);
  await mesh.close();
  process.exit(0);
});
