// Plain node, no loader: both entry points of each package load from the installed tarballs, and a
// Mesh can be built on @roamhq/wrtc. Prints the exports it found as one JSON line.
import wrtc from '@roamhq/wrtc';
import * as protocol from '@meshmeet/protocol';
import * as checks from '@meshmeet/protocol/checks';
import { LocalMedia, Mesh, MeshError } from '@meshmeet/rtc-core';
import { createSocketIoSignaling } from '@meshmeet/rtc-core/socket-io';

// autoConnect off: this only proves that the pieces fit; the participants test talks to a server.
const signaling = createSocketIoSignaling('http://127.0.0.1:9', { socketOptions: { autoConnect: false } });
const mesh = new Mesh({ signaling, webrtc: wrtc });
const media = new LocalMedia({ mediaDevices: wrtc.mediaDevices });
let refused = null;
try {
  new Mesh({ signaling, webrtc: {} });
} catch (error) {
  refused = error instanceof MeshError ? error.code : String(error);
}
await mesh.close();
media.stopAll();
console.log(JSON.stringify({
  mesh: mesh instanceof Mesh,
  selfId: mesh.selfId,
  withoutWebRtc: refused,
  protocol: typeof protocol.JoinRequestSchema.safeParse,
  checks: checks.checkJoinRequest({ room: 'r', name: ' Ann ' }),
}));
