import { MeshError } from './errors.ts';

/**
 * The WebRTC classes the engine needs. Browsers have them as globals; Node passes
 * `@roamhq/wrtc` (or any implementation with the same shape).
 */
export interface WebRtcImplementation {
  RTCPeerConnection: new (configuration?: RTCConfiguration) => RTCPeerConnection;
  /** Used to wrap each received track in its own stream; without it the event's stream is used. */
  MediaStream?: new (tracks?: MediaStreamTrack[]) => MediaStream;
}

/** The explicit implementation, else the global one, else a coded error. */
export function resolveWebRtc(explicit?: WebRtcImplementation): WebRtcImplementation {
  if (explicit) {
    if (typeof explicit.RTCPeerConnection !== 'function') {
      throw new MeshError('WEBRTC_UNAVAILABLE', 'the injected WebRTC implementation has no RTCPeerConnection');
    }
    return explicit;
  }
  const g = globalThis as Partial<WebRtcImplementation>;
  if (typeof g.RTCPeerConnection !== 'function') {
    throw new MeshError(
      'WEBRTC_UNAVAILABLE',
      'no RTCPeerConnection in this environment: pass options.webrtc (in Node, the @roamhq/wrtc module)',
    );
  }
  return { RTCPeerConnection: g.RTCPeerConnection, ...(typeof g.MediaStream === 'function' ? { MediaStream: g.MediaStream } : {}) };
}
