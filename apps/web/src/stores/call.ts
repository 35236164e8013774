import { Mesh, consoleLogger, type PeerStats, type SignalingChannel, type VideoWant } from '@meshmeet/rtc-core';
import { createSocketIoSignaling } from '@meshmeet/rtc-core/socket-io';
import type { RoomState } from '@meshmeet/protocol/checks';
import { defineStore } from './store.ts';
import { computed, markRaw, ref, shallowRef, watch } from 'vue';
import { snapshotParticipants, type RemoteView } from '../lib/participants.ts';
import { useChatStore } from './chat.ts';
import { useHandsStore } from './hands.ts';
import { roomPath } from '../lib/roomName.ts';
import { describeError, errorCode, type UserError } from '../lib/userErrors.ts';
import { useMediaStore } from './media.ts';
import { usePrefsStore } from './prefs.ts';

/** `left`: the person left on purpose; the "You left · Rejoin" screen shows. */
export type CallPhase = 'lobby' | 'joining' | 'in-call' | 'left';
export type SignalingStatus = 'connected' | 'reconnecting' | 'disconnected';

// Problems inside the engine (one peer failing, a refused message) go to the console for whoever
// debugs a call; people see their effect on the tiles.
const logger = consoleLogger('warn');
/**
 * Often enough for the badge to follow the link within seconds (rtc-core's recent figures span
 * the last 5 s of samples: at 2 s, two or three intervals), rare enough to cost nothing noticeable.
 */
const STATS_INTERVAL_MS = 2000;

/**
 * A join token arrives as `?token=` in the room link (the app that sent the person here minted
 * it). It is read once and removed from the address bar at once: the token is that person's
 * admission (its name and role), so a link copied from the address bar to share the room must
 * not carry it.
 */
function takeToken(): string | null {
  const { search = '', pathname, hash = '' } = globalThis.location;
  const params = new URLSearchParams(search);
  const token = params.get('token');
  if (token === null) return null;
  params.delete('token');
  const rest = params.toString();
  globalThis.history.replaceState(globalThis.history.state, '', `${pathname}${rest ? `?${rest}` : ''}${hash}`);
  return token;
}

/** The call: one rtc-core Mesh while in a room, and a render-ready copy of its participants. */
export const useCallStore = defineStore(() => {
  const media = useMediaStore();
  const chat = useChatStore();
  const hands = useHandsStore();
  const { prefs } = usePrefsStore();

  const phase = ref<CallPhase>('lobby');
  const room = ref<string | null>(null);
  const selfId = ref<string | null>(null);
  const selfName = ref('');
  /**
   * The link to the server. While it is 'reconnecting' the call itself goes on peer to peer: the
   * mesh keeps every participant, link and track, so the roster is left as it is.
   */
  const signaling = ref<SignalingStatus>('connected');
  /** Why the last join failed or the call ended, shown where the person can act on it. */
  const error = ref<UserError | null>(null);
  const remotes = shallowRef<RemoteView[]>([]);
  /** The latest link figures per remote peer, for the tiles' quality badges. */
  const stats = shallowRef<ReadonlyMap<string, PeerStats>>(new Map());
  /**
   * Everyone seen in this call by id, those who left included: chat shows a sender's name from
   * here (the roster), never from the message itself.
   */
  const names = shallowRef<ReadonlyMap<string, string>>(new Map());

  const token = takeToken();
  /** What the person typed in the lobby's passcode field (sent with every join while set). */
  const passcode = ref('');
  /** Who hosts the room, whether it is locked and has a passcode (from the server). */
  const roomState = ref<RoomState | null>(null);
  const isHost = computed(() => selfId.value !== null && roomState.value?.hostId === selfId.value);
  /** The host removed us: the "left" screen says so. */
  const removed = ref(false);
  /** Why the last host control failed, shown in the participants panel. */
  const hostError = ref<UserError | null>(null);

  let mesh: Mesh | null = null;
  let teardown: Array<() => void> = [];
  /** Opened while the lobby shows, so that Join does not wait for the socket to connect. */
  let channel: SignalingChannel | null = null;
  // The data saver applies at once, also in the middle of a call.
  watch(() => prefs.dataSaverKbps, (kbps) => mesh?.setUplinkBudget(kbps));

  /** Connects to the signaling server ahead of the Join click (idempotent). */
  function prepare(): void {
    if (channel && channel.state !== 'disconnected') return;
    channel = createSocketIoSignaling(globalThis.location.origin, { timeoutMs: 8000, logger });
  }

  function closeChannel(): void {
    channel?.close();
    channel = null;
  }

  const participantCount = computed(() => remotes.value.length + (phase.value === 'in-call' ? 1 : 0));
  const screenShares = computed(() => remotes.value.filter((p) => p.media.screen && p.screenStream !== null));

  function refresh(): void {
    if (!mesh) return;
    remotes.value = snapshotParticipants(mesh.participants.values());
    if (remotes.value.some((p) => names.value.get(p.id) !== p.name)) {
      const next = new Map(names.value);
      for (const p of remotes.value) next.set(p.id, p.name);
      names.value = next;
    }
  }

  function dispose(): void {
    for (const stop of teardown) stop();
    teardown = [];
    mesh = null;
    remotes.value = [];
    stats.value = new Map();
    names.value = new Map();
    selfId.value = null;
    roomState.value = null;
    hostError.value = null;
  }

  async function join(roomName: string, name: string): Promise<boolean> {
    if (phase.value !== 'lobby' && phase.value !== 'left') return false;
    phase.value = 'joining';
    error.value = null;
    removed.value = false;
    prepare();
    let next: Mesh;
    try {
      next = markRaw(new Mesh({ signaling: channel as SignalingChannel, logger, statsIntervalMs: STATS_INTERVAL_MS }));
      next.setUplinkBudget(prefs.dataSaverKbps);
    } catch (caught) {
      // No WebRTC in this browser (WEBRTC_UNAVAILABLE): nothing to undo but the phase.
      phase.value = 'lobby';
      error.value = describeError(errorCode(caught));
      return false;
    }
    mesh = next;
    teardown = [
      media.local.attach(next),
      next.on('participantJoined', refresh),
      next.on('participantLeft', refresh),
      next.on('trackAdded', refresh),
      next.on('trackRemoved', refresh),
      next.on('mediaChanged', refresh),
      next.on('connectionStateChanged', refresh),
      next.on('interruptionChanged', refresh),
      // A resume was refused (away longer than the server's grace): the mesh joined afresh.
      next.on('selfIdChanged', (id) => {
        if (mesh === next) selfId.value = id;
      }),
      next.on('stats', (latest) => (stats.value = latest)),
      next.on('roomStateChanged', (state) => {
        if (mesh === next) roomState.value = state;
      }),
      next.on('removed', () => {
        if (mesh !== next) return;
        dispose();
        closeChannel();
        removed.value = true;
        phase.value = 'left';
        void media.disable('screen').catch(() => undefined);
        media.stopAll();
      }),
      // Chat, hands and reactions over the links' data channels (absent from older engines).
      chat.attach(next, () => selfId.value),
      hands.attach(next, () => selfId.value),
      next.on('signalingStateChanged', (state) => {
        signaling.value = state;
        if (state === 'connected' && next.selfId !== null) selfId.value = next.selfId;
        if (state === 'disconnected' && mesh === next && phase.value === 'in-call') {
          // The transport gave up for good: back to the lobby, where Join starts over.
          dispose();
          closeChannel();
          phase.value = 'lobby';
          error.value = describeError('SIGNALING_LOST');
          return;
        }
        refresh();
      }),
    ];
    try {
      const result = await next.join({ room: roomName, name, ...(token ? { token } : {}), ...(passcode.value ? { passcode: passcode.value } : {}) });
      if (mesh !== next) return false; // left while joining
      selfId.value = result.self.id;
      selfName.value = result.self.name;
      room.value = roomName;
      signaling.value = 'connected';
      phase.value = 'in-call';
      refresh();
      if (globalThis.location.pathname !== roomPath(roomName)) {
        globalThis.history.replaceState(null, '', roomPath(roomName));
      }
      return true;
    } catch (caught) {
      await next.leave().catch(() => undefined);
      if (mesh === next) {
        dispose();
        // A fresh connection for the next attempt: this one may be the reason it failed.
        closeChannel();
        phase.value = 'lobby';
        error.value = describeError(errorCode(caught), caught);
      }
      return false;
    }
  }

  /** What that peer's tile needs of its camera (the mesh tells the peer when it changes). */
  function wantVideo(peerId: string, want: VideoWant): void {
    if (mesh?.participants.has(peerId)) mesh.setVideoWanted(peerId, want);
  }

  /** Runs a host control; a refusal (FORBIDDEN, a lost connection) shows in the panel. */
  async function host(run: (m: Mesh) => Promise<void>): Promise<boolean> {
    if (!mesh) return false;
    hostError.value = null;
    try {
      await run(mesh);
      return true;
    } catch (caught) {
      hostError.value = describeError(errorCode(caught), caught);
      return false;
    }
  }
  const setLocked = (locked: boolean) => host((m) => (locked ? m.lockRoom() : m.unlockRoom()));
  const setPasscode = (value: string | null) => host((m) => m.setPasscode(value));
  const removeParticipant = (id: string) => host((m) => m.removeParticipant(id));

  /**
   * Leaves the call. The mesh sends the protocol's `leave` before this first awaits anything, so
   * it is safe from `pagehide`: the others drop the tile at once rather than after a timeout.
   */
  async function leave(): Promise<void> {
    const current = mesh;
    const said = current?.leave().catch(() => undefined);
    dispose();
    phase.value = 'left';
    signaling.value = 'connected';
    await media.disable('screen').catch(() => undefined);
    // Out of the call the camera light goes off; Rejoin turns on what the person had on.
    media.stopAll();
    await said;
    closeChannel();
  }

  /** From the "You left" screen: back into the same room under the same name. */
  async function rejoin(): Promise<boolean> {
    if (phase.value !== 'left' || !room.value) return false;
    prepare();
    await media.startPreview();
    return join(room.value, selfName.value);
  }

  /** From the "You left" screen to the lobby (another room, another name). */
  function toLobby(): void {
    if (phase.value === 'left') phase.value = 'lobby';
  }

  function dismissError(): void {
    error.value = null;
  }

  return {
    phase,
    room,
    selfId,
    selfName,
    signaling,
    error,
    remotes,
    stats,
    participantCount,
    screenShares,
    names,
    passcode,
    roomState,
    isHost,
    removed,
    hostError,
    setLocked,
    setPasscode,
    removeParticipant,
    wantVideo,
    prepare,
    join,
    leave,
    rejoin,
    toLobby,
    dismissError,
  };
});
