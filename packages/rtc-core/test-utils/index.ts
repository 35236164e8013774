export { startSignalingProcess, type SignalingProcess } from './signalingProcess.ts';
export { waitFor, waitUntil, type Subscribable } from './wait.ts';
export {
  createSyntheticVideo,
  createSyntheticAudio,
  countFrames,
  countingWebRtc,
  type WrtcNonstandard,
  type SyntheticSource,
  type FrameCounter,
} from './media.ts';
export { MemorySignalingServer } from './memorySignaling.ts';
