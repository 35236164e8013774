// One bot participant as its own process, for tests that freeze (SIGSTOP) or cut a participant:
// it reports what happens as JSON lines on stdout and takes commands ('mark', 'report', 'stop')
// as lines on stdin. Usage: node --import tsx participantMain.ts '{"url":…,"room":…,"name":…}'
import { createInterface } from 'node:readline';
import { Bot, type MediaClocks } from '../bot/Bot.ts';
import { parseVideoFormat } from '../media/SyntheticCamera.ts';
import { Ticker } from '../media/ticker.ts';
import { FrameGaps } from './FrameGaps.ts';

interface Config {
  url: string;
  room: string;
  name: string;
  video?: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const started = performance.now();
const now = (): number => Math.round(performance.now() - started);
const say = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ at: now(), wall: Date.now(), ...line })}\n`);
};

const clocks: MediaClocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
const bot = new Bot({ url: config.url, room: config.room, name: config.name, video: parseVideoFormat(config.video ?? '160x120@15'), clocks });
const gaps = new FrameGaps(bot.mesh);
const mesh = bot.mesh;
mesh.on('participantJoined', (p) => say({ type: 'participantJoined', peerId: p.id, name: p.name }));
mesh.on('participantLeft', (p) => say({ type: 'participantLeft', peerId: p.id }));
mesh.on('connectionStateChanged', ({ participant, state }) => say({ type: 'connectionState', peerId: participant.id, state }));
mesh.on('interruptionChanged', ({ participant, interrupted }) => say({ type: 'interruption', peerId: participant.id, interrupted }));
mesh.on('signalingStateChanged', (state) => say({ type: 'signaling', state, selfId: mesh.selfId }));
mesh.on('selfIdChanged', (id) => say({ type: 'selfIdChanged', selfId: id }));
mesh.on('error', (error) => say({ type: 'error', code: error.code, message: error.message }));

async function stop(): Promise<void> {
  gaps.stop();
  await bot.stop();
  clocks.video.stop();
  clocks.audio.stop();
  say({ type: 'stopped' });
  // wrtc can abort at exit after many connections; leave at once (see WEBRTC-NOTES).
  process.exit(0);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = line.trim();
  if (command === 'mark') {
    gaps.mark();
    say({ type: 'marked' });
  } else if (command === 'report') {
    say({ type: 'report', selfId: mesh.selfId, peers: gaps.snapshot(), participants: [...mesh.participants.keys()] });
  } else if (command === 'stop') {
    void stop();
  }
});
process.on('SIGTERM', () => void stop());

try {
  await bot.start();
  say({ type: 'joined', selfId: mesh.selfId });
} catch (error) {
  say({ type: 'joinFailed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
