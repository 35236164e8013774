export { spawnSignalingServer, startSignalingProcess, SIGNALING_ENTRY, type SignalingProcess, type SpawnOptions } from './signalingProcess.ts';
export { waitFor, waitForEvent, waitUntil, type Subscribable } from './wait.ts';
export {
  createSyntheticVideo,
  createSyntheticAudio,
  countFrames,
  countingWebRtc,
  type CountingWebRtc,
  type WrtcNonstandard,
  type SyntheticSource,
  type FrameCounter,
} from './media.ts';
export { MemorySignalingServer, type MemorySignalingOptions, type MemorySignalingChannel } from './memorySignaling.ts';
export { createTestParticipant, FrameWatch, type TestParticipant } from './participants.ts';
