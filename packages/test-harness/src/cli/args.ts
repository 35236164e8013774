import { parseDuration, parseSchedule, type ScheduleStep } from '../bot/schedule.ts';
import { parseVideoFormat, type VideoFormat } from '../media/SyntheticCamera.ts';

export interface CliOptions {
  /** Server to join; null = spawn a local signaling server for the run. */
  url: string | null;
  room: string;
  /** Bots (or simulated participants) per room. */
  count: number;
  rooms: number;
  durationMs: number;
  video: VideoFormat | null;
  audio: boolean;
  schedule: ScheduleStep[];
  /** Chat messages each bot sends after joining (`--chat "text@5s"`, repeatable). */
  chat: Array<{ text: string; atMs: number }>;
  /** Whether bots open the link data channel (`--no-data` models a client without it). */
  dataChannels: boolean;
  signalingOnly: boolean;
  json: string | null;
  html: string | null;
  /** Delay between consecutive joins (0 = all at once). */
  rampMs: number;
  quiet: boolean;
  help: boolean;
  /** 'server': the join answer's ICE servers (default); 'none': host candidates only. */
  ice: 'server' | 'none';
  /** Relay candidates only (TURN). */
  relayOnly: boolean;
  /** Bots step their camera by room size as browsers do (`--no-steps`: always --video). */
  followSteps: boolean;
}

export const USAGE = `Usage: pnpm bots -- [options]
  --url URL            meshmeet server (default: spawn a local signaling server)
  --room NAME          room name; with --rooms N the rooms are NAME-1 .. NAME-N (default load)
  --count N            participants per room (default 3)
  --rooms N            number of rooms (default 1)
  --duration D         how long to stay, e.g. 30s, 2m (default 10s)
  --video WxH@FPS      synthetic camera, e.g. 320x240@15; "off" for none (default 320x240@15)
  --no-audio           no synthetic microphone
  --no-steps           cameras always send --video; by default they step down with the room's
                       size as a browser's camera does (3-4 others: 1/1.5 the size at 24 fps, ...)
  --chat "TEXT@D"      a chat message each bot sends D after joining, e.g. "hello@5s" (repeatable)
  --no-data            bots announce no data channel (no chat, hands or reactions), as a wave-1 client
  --schedule STEPS     media on/off steps after joining, e.g. camera:off@10s,camera:on@20s,screen:on@5s
  --ramp D             delay between joins (default 0: everyone at once)
  --signaling-only     no WebRTC: simulated participants exchange realistically sized offers,
                       answers and candidates through the protocol (server capacity tests)
  --json FILE          write the full results as JSON
  --html FILE          write an HTML report with plots
  --ice server|none    ICE servers: the ones the server hands out (default), or none (host candidates only)
  --relay-only         relay candidates only: every link goes through the server's TURN
  --quiet              no live progress
Exit code 1 when any expected media flow (or, with --signaling-only, any pair) never completed.`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    url: null,
    room: 'load',
    count: 3,
    rooms: 1,
    durationMs: 10_000,
    video: { width: 320, height: 240, fps: 15 },
    audio: true,
    schedule: [],
    chat: [],
    dataChannels: true,
    signalingOnly: false,
    json: null,
    html: null,
    rampMs: 0,
    quiet: false,
    help: false,
    ice: 'server',
    relayOnly: false,
    followSteps: true,
  };
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] ?? '';
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${name} needs a value`);
      return v;
    };
    try {
      switch (name) {
        case '--url':
          options.url = new URL(value()).toString().replace(/\/$/, '');
          break;
        case '--room':
          options.room = value();
          if (!/^[A-Za-z0-9_-]{1,60}$/.test(options.room)) throw new UsageError('--room may hold only letters, digits, "_" and "-" (at most 60)');
          break;
        case '--count':
          options.count = positiveInt(name, value());
          break;
        case '--rooms':
          options.rooms = positiveInt(name, value());
          break;
        case '--duration':
          options.durationMs = parseDuration(value());
          break;
        case '--video': {
          const v = value();
          options.video = v === 'off' ? null : parseVideoFormat(v);
          break;
        }
        case '--no-audio':
          options.audio = false;
          break;
        case '--no-steps':
          options.followSteps = false;
          break;
        case '--schedule':
          options.schedule = parseSchedule(value());
          break;
        case '--chat':
          options.chat.push(parseChat(value()));
          break;
        case '--no-data':
          options.dataChannels = false;
          break;
        case '--ramp':
          options.rampMs = parseDuration(value());
          break;
        case '--signaling-only':
          options.signalingOnly = true;
          break;
        case '--json':
          options.json = value();
          break;
        case '--html':
          options.html = value();
          break;
        case '--ice': {
          const v = value();
          if (v !== 'server' && v !== 'none') throw new UsageError(`--ice must be "server" or "none", got "${v}"`);
          options.ice = v;
          break;
        }
        case '--relay-only':
          options.relayOnly = true;
          break;
        case '--quiet':
          options.quiet = true;
          break;
        case '--help':
        case '-h':
          options.help = true;
          break;
        default:
          throw new UsageError(`unknown option "${flag}"`);
      }
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }
  if (options.relayOnly && options.ice === 'none') throw new UsageError('--relay-only needs a TURN server: it cannot go with --ice none');
  return options;
}

/** Room names of a run: NAME when there is one room, else NAME-1 .. NAME-N. */
export function roomNames(options: Pick<CliOptions, 'room' | 'rooms'>): string[] {
  return options.rooms === 1 ? [options.room] : Array.from({ length: options.rooms }, (_, i) => `${options.room}-${i + 1}`);
}

/** Parses "text@5s": the text, and when after joining to send it (the last "@" separates them). */
export function parseChat(spec: string): { text: string; atMs: number } {
  const at = spec.lastIndexOf('@');
  if (at <= 0) throw new RangeError(`--chat takes "text@time", e.g. "hello@5s", got "${spec}"`);
  return { text: spec.slice(0, at), atMs: parseDuration(spec.slice(at + 1)) };
}
