// Unit test of the call store's state machine. rtc-core's Mesh needs a browser's WebRTC, so it is
// replaced here by a small fake that emits the same events; the real thing runs in the e2e specs.
import { resetStores } from './store.ts';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const fakes = vi.hoisted(() => {
  type Listener = (...args: never[]) => void;
  class FakeMesh {
    static last: FakeMesh | null = null;
    static joinResult: () => Promise<unknown> = () => Promise.resolve({ self: { id: 'me', name: 'Ada' }, peers: [] });
    selfId: string | null = null;
    participants = new Map<string, unknown>();
    listeners = new Map<string, Set<Listener>>();
    left = false;
    budgets: Array<number | null> = [];
    static failConstruction = false;
    constructor(readonly options: { signaling: unknown }) {
      if (FakeMesh.failConstruction) throw Object.assign(new Error('no WebRTC'), { code: 'WEBRTC_UNAVAILABLE' });
      FakeMesh.last = this;
    }
    setUplinkBudget(kbps: number | null) {
      this.budgets.push(kbps);
    }
    on(event: string, listener: Listener) {
      const set = this.listeners.get(event) ?? new Set();
      set.add(listener);
      this.listeners.set(event, set);
      return () => set.delete(listener);
    }
    emit(event: string, ...args: unknown[]) {
      for (const l of this.listeners.get(event) ?? []) (l as (...a: unknown[]) => void)(...args);
    }
    async join() {
      const result = (await FakeMesh.joinResult()) as { self: { id: string } };
      this.selfId = result.self.id;
      return result;
    }
    /** Set synchronously by leave(), like the real one sending `leave` before it awaits. */
    async leave() {
      this.left = true;
      order.push('mesh.leave');
    }
  }
  const order: string[] = [];
  class FakeLocalMedia {
    constructor(readonly options?: unknown) {}
    on() {
      return () => {};
    }
    attach() {
      return () => {};
    }
    async disable() {
      order.push('media.disable');
    }
    stopAll() {
      order.push('media.stopAll');
    }
  }
  const channels: Array<{ closed: boolean; state: string; close(): void }> = [];
  function createSocketIoSignaling() {
    const channel = {
      closed: false,
      state: 'connecting',
      close() {
        this.closed = true;
        this.state = 'disconnected';
      },
    };
    channels.push(channel);
    return channel;
  }
  return { FakeMesh, FakeLocalMedia, channels, order, createSocketIoSignaling };
});

vi.mock('@meshmeet/rtc-core', () => ({
  Mesh: fakes.FakeMesh,
  LocalMedia: fakes.FakeLocalMedia,
  consoleLogger: () => ({ debug() {}, info() {}, warn() {}, error() {} }),
}));
vi.mock('@meshmeet/rtc-core/socket-io', () => ({ createSocketIoSignaling: fakes.createSocketIoSignaling }));

const { useCallStore } = await import('./call.ts');
const { usePrefsStore } = await import('./prefs.ts');

const media = { mic: true, camera: true, screen: false };
function participant(id: string, name: string, extra: Record<string, unknown> = {}) {
  return { id, name, media, connectionState: 'connecting', audioTrack: null, cameraStream: null, screenStream: null, ...extra };
}

describe('useCallStore', () => {
  const replaceState = vi.fn();
  beforeEach(() => {
    resetStores();
    fakes.channels.length = 0;
    fakes.order.length = 0;
    fakes.FakeMesh.joinResult = () => Promise.resolve({ self: { id: 'me', name: 'Ada' }, peers: [] });
    replaceState.mockReset();
    vi.stubGlobal('location', { origin: 'http://localhost:3000', pathname: '/' });
    vi.stubGlobal('history', { replaceState });
  });

  it('joins: in-call with the server-given id and name, and the URL names the room', async () => {
    const call = useCallStore();
    call.prepare();
    expect(await call.join('calm-otter-1', 'Ada')).toBe(true);
    expect(call.phase).toBe('in-call');
    expect(call.selfId).toBe('me');
    expect(call.room).toBe('calm-otter-1');
    expect(call.participantCount).toBe(1);
    expect(replaceState).toHaveBeenCalledWith(null, '', '/r/calm-otter-1');
    // The connection opened in the lobby is the one the mesh uses.
    expect(fakes.channels).toHaveLength(1);
    expect(fakes.FakeMesh.last?.options.signaling).toBe(fakes.channels[0]);
  });

  it('hands the data saver to the mesh when it joins and whenever it changes', async () => {
    const { prefs } = usePrefsStore();
    prefs.dataSaverKbps = 500;
    const call = useCallStore();
    call.prepare();
    await call.join('calm-otter-1', 'Ada');
    const mesh = fakes.FakeMesh.last!;
    expect(mesh.budgets).toEqual([500]);
    prefs.dataSaverKbps = 250;
    await Promise.resolve();
    prefs.dataSaverKbps = null;
    await Promise.resolve();
    expect(mesh.budgets).toEqual([500, 250, null]);
  });

  it('mirrors the mesh roster on its events, screen shares included', async () => {
    const call = useCallStore();
    await call.join('r', 'Ada');
    const mesh = fakes.FakeMesh.last!;
    mesh.participants.set('b', participant('b', 'Bo'));
    mesh.emit('participantJoined', mesh.participants.get('b'));
    expect(call.remotes.map((p) => p.name)).toEqual(['Bo']);
    expect(call.participantCount).toBe(2);

    const screenStream = { id: 'screen' };
    mesh.participants.set('b', participant('b', 'Bo', { media: { ...media, screen: true }, screenStream }));
    mesh.emit('mediaChanged', {});
    expect(call.screenShares.map((p) => p.id)).toEqual(['b']);

    mesh.participants.delete('b');
    mesh.emit('participantLeft', {});
    expect(call.remotes).toEqual([]);
    expect(call.screenShares).toEqual([]);
  });

  it('a full room sends people back to the lobby with ROOM_FULL and a fresh connection next time', async () => {
    fakes.FakeMesh.joinResult = () => Promise.reject(Object.assign(new Error('full'), { code: 'ROOM_FULL' }));
    const call = useCallStore();
    expect(await call.join('r', 'Ada')).toBe(false);
    expect(call.phase).toBe('lobby');
    expect(call.error?.code).toBe('ROOM_FULL');
    expect(call.error?.action).toBe('new-room');
    expect(fakes.channels[0]?.closed).toBe(true);
    call.prepare();
    expect(fakes.channels).toHaveLength(2);
  });

  it('shows reconnecting while signaling is lost, and returns to the lobby if it is lost for good', async () => {
    const call = useCallStore();
    await call.join('r', 'Ada');
    const mesh = fakes.FakeMesh.last!;
    mesh.emit('signalingStateChanged', 'reconnecting');
    expect(call.signaling).toBe('reconnecting');
    expect(call.phase).toBe('in-call');
    mesh.selfId = 'me-again';
    mesh.emit('signalingStateChanged', 'connected');
    expect(call.signaling).toBe('connected');
    expect(call.selfId).toBe('me-again');
    mesh.emit('signalingStateChanged', 'disconnected');
    expect(call.phase).toBe('lobby');
    expect(call.error?.code).toBe('SIGNALING_LOST');
  });

  it('keeps every tile while the server is away, and only marks the signaling state', async () => {
    const call = useCallStore();
    await call.join('r', 'Ada');
    const mesh = fakes.FakeMesh.last!;
    mesh.participants.set('b', participant('b', 'Bo', { connectionState: 'connected' }));
    mesh.participants.set('c', participant('c', 'Cy', { connectionState: 'connected' }));
    mesh.emit('participantJoined', mesh.participants.get('b'));
    const before = call.remotes;

    // The resuming mesh keeps its participants (issue 8): the store must not clear them itself.
    mesh.emit('signalingStateChanged', 'reconnecting');
    expect(call.signaling).toBe('reconnecting');
    expect(call.phase).toBe('in-call');
    expect(call.remotes.map((p) => p.id)).toEqual(['b', 'c']);
    expect(call.remotes[0]?.cameraStream).toBe(before[0]?.cameraStream);
    expect(call.selfId).toBe('me');

    // Someone who really left while the server was away goes; the rest stay.
    mesh.participants.delete('c');
    mesh.emit('participantLeft', {});
    expect(call.remotes.map((p) => p.id)).toEqual(['b']);

    // Resumed with the same id.
    mesh.emit('signalingStateChanged', 'connected');
    expect(call.signaling).toBe('connected');
    expect(call.selfId).toBe('me');
    expect(call.remotes.map((p) => p.id)).toEqual(['b']);
  });

  it('marks a participant whose media stopped, and clears it when it resumes; the tile stays', async () => {
    const call = useCallStore();
    await call.join('r', 'Ada');
    const mesh = fakes.FakeMesh.last!;
    const bo: Record<string, unknown> = participant('b', 'Bo', { connectionState: 'connected', interrupted: false });
    mesh.participants.set('b', bo);
    mesh.emit('participantJoined', bo);
    expect(call.remotes[0]?.interrupted).toBe(false);

    bo.interrupted = true;
    mesh.emit('interruptionChanged', { participant: bo, interrupted: true });
    expect(call.remotes).toHaveLength(1);
    expect(call.remotes[0]?.interrupted).toBe(true);

    bo.interrupted = false;
    mesh.emit('interruptionChanged', { participant: bo, interrupted: false });
    expect(call.remotes[0]?.interrupted).toBe(false);
  });

  it('reads a participant without an interrupted flag (rtc-core before issue 8) as not interrupted', async () => {
    const call = useCallStore();
    await call.join('r', 'Ada');
    const mesh = fakes.FakeMesh.last!;
    mesh.participants.set('b', participant('b', 'Bo'));
    mesh.emit('participantJoined', mesh.participants.get('b'));
    expect(call.remotes[0]?.interrupted).toBe(false);
  });

  it('takes the new own id when a refused resume made the mesh join afresh', async () => {
    const call = useCallStore();
    await call.join('r', 'Ada');
    const mesh = fakes.FakeMesh.last!;
    mesh.emit('signalingStateChanged', 'reconnecting');
    mesh.selfId = 'me-2';
    mesh.emit('selfIdChanged', 'me-2');
    expect(call.selfId).toBe('me-2');
    mesh.emit('signalingStateChanged', 'connected');
    expect(call.selfId).toBe('me-2');
    // A late event from a mesh that was left changes nothing.
    await call.leave();
    mesh.emit('selfIdChanged', 'me-3');
    expect(call.selfId).toBeNull();
  });

  it('tells the mesh to leave before anything else is awaited (safe from pagehide)', async () => {
    const call = useCallStore();
    await call.join('r', 'Ada');
    const mesh = fakes.FakeMesh.last!;
    const leaving = call.leave();
    // Synchronously, before the first await of leave() has let anything else run.
    expect(mesh.left).toBe(true);
    expect(call.phase).toBe('left');
    await leaving;
    expect(fakes.order).toEqual(['mesh.leave', 'media.disable', 'media.stopAll']);
    expect(fakes.channels[0]?.closed).toBe(true);
  });

  it('a browser without WebRTC stays in the lobby with an explanation', async () => {
    fakes.FakeMesh.failConstruction = true;
    try {
      const call = useCallStore();
      expect(await call.join('r', 'Ada')).toBe(false);
      expect(call.phase).toBe('lobby');
      expect(call.error?.code).toBe('WEBRTC_UNAVAILABLE');
    } finally {
      fakes.FakeMesh.failConstruction = false;
    }
  });

  it('leave tells the mesh, closes the connection and empties the roster; a second join is refused while joining', async () => {
    const call = useCallStore();
    let release: (v: unknown) => void = () => {};
    fakes.FakeMesh.joinResult = () => new Promise((resolve) => (release = resolve));
    const joining = call.join('r', 'Ada');
    expect(call.phase).toBe('joining');
    expect(await call.join('r', 'Ada')).toBe(false);
    release({ self: { id: 'me', name: 'Ada' }, peers: [] });
    await joining;
    const mesh = fakes.FakeMesh.last!;
    await call.leave();
    expect(mesh.left).toBe(true);
    expect(call.phase).toBe('left');
    expect(call.remotes).toEqual([]);
    expect(fakes.channels[0]?.closed).toBe(true);
    // The "You left" screen: Join works from there, and the lobby is one step away.
    fakes.FakeMesh.joinResult = () => Promise.resolve({ self: { id: 'me', name: 'Ada' }, peers: [] });
    expect(await call.join('r', 'Ada')).toBe(true);
    await call.leave();
    call.toLobby();
    expect(call.phase).toBe('lobby');
  });

  it('remembers the names of people who left, for the chat history', async () => {
    const call = useCallStore();
    await call.join('r', 'Ada');
    const mesh = fakes.FakeMesh.last!;
    mesh.participants.set('b', participant('b', 'Bo'));
    mesh.emit('participantJoined', mesh.participants.get('b'));
    mesh.participants.delete('b');
    mesh.emit('participantLeft', {});
    expect(call.names.get('b')).toBe('Bo');
  });

  it('degrades to no chat with an engine that has no data channels', async () => {
    const { useChatStore } = await import('./chat.ts');
    const call = useCallStore();
    await call.join('r', 'Ada');
    const chat = useChatStore();
    expect(chat.available).toBe(false);
    expect(chat.send('hello')).toBe(false);
    expect(chat.problem?.kind).toBe('unavailable');
  });
});
