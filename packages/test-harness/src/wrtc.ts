import wrtc from '@roamhq/wrtc';

/** The WebRTC implementation bots inject into rtc-core (Node has none of its own). */
export const webrtc = {
  RTCPeerConnection: wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection,
  RTCSessionDescription: wrtc.RTCSessionDescription as unknown as typeof RTCSessionDescription,
  RTCIceCandidate: wrtc.RTCIceCandidate as unknown as typeof RTCIceCandidate,
  MediaStream: wrtc.MediaStream as unknown as typeof MediaStream,
  MediaStreamTrack: wrtc.MediaStreamTrack as unknown as typeof MediaStreamTrack,
};

export const { RTCVideoSource, RTCVideoSink, RTCAudioSource } = wrtc.nonstandard;
export type { RTCVideoSink as VideoSink } from '@roamhq/wrtc/types/nonstandard';

/** The frame event an RTCVideoSink dispatches (wrtc's own shape). */
export interface VideoSinkFrameEvent {
  frame: { width: number; height: number; data: Uint8Array };
}
