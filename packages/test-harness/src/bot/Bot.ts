import type { MediaSource, MediaState } from '@meshmeet/protocol';
import { cameraStep, Mesh, type Logger, type RemoteParticipant } from '@meshmeet/rtc-core';
import { createSocketIoSignaling } from '@meshmeet/rtc-core/socket-io';
import { SyntheticCamera, type VideoFormat } from '../media/SyntheticCamera.ts';
import { SyntheticMic } from '../media/SyntheticMic.ts';
import type { Ticker } from '../media/ticker.ts';
import { webrtc } from '../wrtc.ts';
import { PeerRecorder, type FrameCounting, type PeerRecord } from './PeerRecorder.ts';
import type { ScheduleStep } from './schedule.ts';

/** The timers a process's bots share (one wake-up per video frame / audio frame for all). */
export interface MediaClocks {
  video: Ticker;
  audio: Ticker;
}

export interface BotOptions {
  url: string;
  room: string;
  name: string;
  /** Camera format; null = the bot has no camera. */
  video: VideoFormat | null;
  /** Sends a tone on the mic (default true). */
  audio?: boolean;
  /** Media on/off steps, relative to the moment the join succeeded. */
  schedule?: ScheduleStep[];
  clocks: MediaClocks;
  /** The run's clock (ms); all recorded times use it. Default performance.now. */
  now?: () => number;
  /** Period of the stats sampling that yields received fps and audio packets (default 1000 ms). */
  statsIntervalMs?: number;
  frameCounting?: FrameCounting;
  logger?: Logger;
  /** Tint of the test pattern, 0-359. */
  hue?: number;
  /** Chat messages to send, each that long after the join succeeded (data channels). */
  chat?: Array<{ text: string; atMs: number }>;
  /** Announce and open the link data channel (default true); false models a client without it. */
  dataChannels?: boolean;
  /**
   * `'server'` (default): the ICE servers of the join answer (the server's ICE_SERVERS and TURN);
   * `'none'`: no ICE servers, host candidates only.
   */
  ice?: 'server' | 'none';
  /** Relay candidates only (iceTransportPolicy 'relay'): every link goes through TURN. */
  relayOnly?: boolean;
  /**
   * Send the camera at the step a browser's encoder would take for the room's size and our
   * screen (rtc-core's cameraStep), since wrtc refuses the setParameters that steps it (default
   * true). false: always `video`, to compare.
   */
  followSteps?: boolean;
}

export interface BotReport {
  name: string;
  room: string;
  selfId: string | null;
  joinStartedAt: number;
  joinedAt: number | null;
  leftAt: number | null;
  error: string | null;
  /** Camera frames handed to the encoder, and while which windows the camera was on. */
  framesSent: number;
  cameraOn: Array<[number, number | null]>;
  /** The camera's format from `at` on: the captured one, then each step it took. */
  cameraFormats: Array<{ at: number } & VideoFormat>;
  media: MediaState;
  peers: PeerRecord[];
  /** Chat received (and sent), as the mesh reported it; `at` on the run's clock. */
  messages: Array<{ from: string; text: string; at: number }>;
}

/**
 * A headless participant: rtc-core's Mesh over socket.io with wrtc injected, a synthetic camera
 * and mic, a media schedule, and a PeerRecorder per remote peer.
 */
export class Bot {
  readonly mesh: Mesh;
  private readonly now: () => number;
  private readonly recorders = new Map<string, PeerRecorder>();
  private readonly finished: PeerRecord[] = [];
  private readonly camera: SyntheticCamera | null;
  private readonly mic: SyntheticMic | null;
  private screen: SyntheticCamera | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unlisten: Array<() => void> = [];
  private readonly cameraOn: Array<[number, number | null]> = [];
  private readonly cameraFormats: Array<{ at: number } & VideoFormat> = [];
  private joinStartedAt = 0;
  private joinedAt: number | null = null;
  private leftAt: number | null = null;
  private error: string | null = null;
  private readonly messages: Array<{ from: string; text: string; at: number }> = [];

  constructor(private readonly options: BotOptions) {
    this.now = options.now ?? (() => performance.now());
    this.mesh = new Mesh({
      // forceNew: one connection per bot (socket.io-client would otherwise share one per URL).
      signaling: createSocketIoSignaling(options.url, { socketOptions: { forceNew: true } }),
      webrtc,
      // Without `iceServers` the Mesh uses the join answer's list.
      ...(options.ice === 'none' ? { iceServers: [] } : {}),
      ...(options.relayOnly ? { iceTransportPolicy: 'relay' as const } : {}),
      statsIntervalMs: options.statsIntervalMs ?? 1000,
      dataChannels: options.dataChannels ?? true,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.camera = options.video ? new SyntheticCamera(options.video, options.name, options.clocks.video, options.hue) : null;
    if (this.camera) this.cameraFormats.push({ at: this.now(), ...this.camera.sending });
    this.mic = options.audio === false ? null : new SyntheticMic(options.clocks.audio, 300 + ((options.hue ?? 0) % 600));
    this.listen();
  }

  get name(): string {
    return this.options.name;
  }

  /** Turns on the mic and camera, joins the room, and starts the schedule. */
  async start(): Promise<void> {
    this.joinStartedAt = this.now();
    try {
      if (this.mic) await this.setSource('mic', true);
      if (this.camera) await this.setSource('camera', true);
      const joined = await this.mesh.join({ room: this.options.room, name: this.options.name });
      this.joinedAt = this.now();
      for (const peer of joined.peers) this.recorder(peer.id, peer.name);
      this.restep();
    } catch (error) {
      this.error = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
      throw error;
    }
    for (const { text, atMs } of this.options.chat ?? []) {
      this.timers.push(
        setTimeout(() => {
          try {
            this.mesh.sendMessage(text);
          } catch (error) {
            this.error ??= `chat: ${error instanceof Error ? error.message : String(error)}`;
          }
        }, atMs),
      );
    }
    for (const step of this.options.schedule ?? []) {
      this.timers.push(setTimeout(() => void this.setSource(step.source, step.on).catch((error: unknown) => (this.error = String(error))), step.atMs));
    }
  }

  /** Turns a synthetic source on or off (replaceTrack in every connection + a media message). */
  async setSource(source: MediaSource, on: boolean): Promise<void> {
    if (source === 'mic') {
      if (!this.mic) return;
      if (on) this.mic.start();
      else this.mic.stop();
      await this.mesh.setLocalTrack('mic', on ? this.mic.track : null);
    } else if (source === 'camera') {
      if (!this.camera) return;
      if (on === this.camera.running) return;
      if (on) {
        this.camera.start();
        this.cameraOn.push([this.now(), null]);
      } else {
        this.camera.stop();
        const open = this.cameraOn[this.cameraOn.length - 1];
        if (open) open[1] = this.now();
      }
      await this.mesh.setLocalTrack('camera', on ? this.camera.track : null);
    } else {
      if (on && !this.screen) {
        const format = this.options.video ?? { width: 320, height: 240, fps: 5 };
        this.screen = new SyntheticCamera({ ...format, fps: Math.min(format.fps, 5) }, `screen ${this.options.name}`, this.options.clocks.video, (this.options.hue ?? 0) + 180);
      }
      if (!this.screen) return;
      if (on) this.screen.start();
      else this.screen.stop();
      await this.mesh.setLocalTrack('screen', on ? this.screen.track : null);
      this.restep();
    }
  }

  /**
   * Steps the camera for the present room as rtc-core steps a browser's camera encoder: by the
   * number of others and whether our screen is shared.
   */
  private restep(): void {
    if (!this.camera || this.options.followSteps === false || this.leftAt !== null) return;
    if (this.camera.setStep(cameraStep(this.mesh.participants.size, this.mesh.localMedia.screen))) {
      this.cameraFormats.push({ at: this.now(), ...this.camera.sending });
    }
  }

  /** Leaves the room and releases every source, sink and timer. Idempotent. */
  async stop(): Promise<void> {
    if (this.leftAt !== null) return;
    this.leftAt = this.now();
    for (const timer of this.timers) clearTimeout(timer);
    const open = this.cameraOn[this.cameraOn.length - 1];
    if (open && open[1] === null) open[1] = this.leftAt;
    // close(), not leave(): the bot is done with its signaling socket too, which would otherwise keep reconnecting.
    await this.mesh.close().catch(() => undefined);
    for (const off of this.unlisten) off();
    for (const recorder of this.recorders.values()) recorder.close();
    this.camera?.close();
    this.screen?.close();
    this.mic?.close();
  }

  report(): BotReport {
    return {
      name: this.options.name,
      room: this.options.room,
      selfId: this.mesh.selfId,
      joinStartedAt: this.joinStartedAt,
      joinedAt: this.joinedAt,
      leftAt: this.leftAt,
      error: this.error,
      framesSent: this.camera?.framesSent ?? 0,
      cameraOn: this.cameraOn.map(([a, b]) => [a, b]),
      cameraFormats: this.cameraFormats.map((f) => ({ ...f })),
      media: { ...this.mesh.localMedia },
      messages: this.messages.map((m) => ({ ...m })),
      peers: [...this.finished, ...[...this.recorders.values()].map((r) => r.record)].map((r) => ({ ...r, fps: [...r.fps], uplinkKbps: [...r.uplinkKbps], states: [...r.states], path: r.path && { ...r.path } })),
    };
  }

  private recorder(peerId: string, name: string): PeerRecorder {
    let recorder = this.recorders.get(peerId);
    if (!recorder) {
      recorder = new PeerRecorder(peerId, name, this.now, this.options.frameCounting ?? 'stats');
      this.recorders.set(peerId, recorder);
    }
    return recorder;
  }

  private listen(): void {
    const on = this.unlisten;
    const of = (p: RemoteParticipant): PeerRecorder => this.recorder(p.id, p.name);
    on.push(
      this.mesh.on('participantJoined', (p) => {
        of(p);
        this.restep();
      }),
    );
    on.push(
      this.mesh.on('participantLeft', (p) => {
        this.restep();
        const recorder = this.recorders.get(p.id);
        if (!recorder) return;
        recorder.left();
        this.finished.push(recorder.record);
        this.recorders.delete(p.id);
      }),
    );
    on.push(this.mesh.on('connectionStateChanged', ({ participant, state }) => of(participant).onState(state)));
    on.push(
      this.mesh.on('trackAdded', ({ participant, source, track }) => {
        if (source === 'camera') of(participant).watchCamera(track);
      }),
    );
    on.push(
      this.mesh.on('stats', (stats) => {
        for (const [peerId, s] of stats) this.recorders.get(peerId)?.onStats(s);
      }),
    );
    on.push(this.mesh.on('error', (error) => (this.error ??= `${error.code}: ${error.message}`)));
    on.push(this.mesh.on('messageReceived', (m) => this.messages.push({ from: m.from, text: m.text, at: this.now() })));
  }
}
