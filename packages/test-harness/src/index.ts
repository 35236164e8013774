// The harness as a library, for engineers who script their own load tests: bots, their media
// sources and clocks, and the signaling-only participant. The CLI (`pnpm bots`) is built on these.
export { Bot, type BotOptions, type BotReport, type MediaClocks } from './bot/Bot.ts';
export type { PeerRecord, FrameCounting } from './bot/PeerRecorder.ts';
export { parseSchedule, parseDuration, type ScheduleStep } from './bot/schedule.ts';
export { Ticker, type TickerOptions } from './media/ticker.ts';
export { SyntheticCamera, parseVideoFormat, type VideoFormat } from './media/SyntheticCamera.ts';
export { SyntheticMic } from './media/SyntheticMic.ts';
export {
  SignalingParticipant,
  SignalingError,
  type SignalingParticipantOptions,
  type PairRecord,
} from './signaling-only/SignalingParticipant.ts';
