// The harness's names for the one server spawner, which lives in rtc-core's test-utils (bench
// files, e2e fixtures and the CLI import these).
export {
  spawnSignalingServer as spawnServer,
  SIGNALING_ENTRY,
  type SignalingProcess as SpawnedServer,
  type SpawnOptions,
} from '@meshmeet/rtc-core/test-utils/spawn';
