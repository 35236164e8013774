import { describe, expect, it } from 'vitest';
import { connectionLabel, peopleCount, snapshotParticipants, tileLabel, type ParticipantLike } from './participants.ts';

describe('snapshotParticipants', () => {
  it('copies the fields in roster order and freezes them', () => {
    const media = { mic: true, camera: false, screen: false };
    const source: ParticipantLike[] = [
      { id: 'b', name: 'Bo', media, connectionState: 'connected', audioTrack: null, cameraStream: null, screenStream: null },
      { id: 'a', name: 'Al', media, connectionState: 'new', audioTrack: null, cameraStream: null, screenStream: null },
    ];
    const views = snapshotParticipants(new Map(source.map((p) => [p.id, p])).values());
    expect(views.map((v) => v.id)).toEqual(['b', 'a']);
    expect(Object.isFrozen(views[0])).toBe(true);
    // A later change to the engine's media object must not leak into an old snapshot.
    media.mic = false;
    expect(views[0]?.media.mic).toBe(true);
  });
  it('copies the interrupted flag, reading a missing one as false', () => {
    const base = { name: 'Bo', media: { mic: true, camera: true, screen: false }, connectionState: 'connected' as const };
    const streams = { audioTrack: null, cameraStream: null, screenStream: null };
    const views = snapshotParticipants([
      { id: 'b', ...base, ...streams, interrupted: true },
      { id: 'c', ...base, ...streams },
    ]);
    expect(views.map((v) => v.interrupted)).toEqual([true, false]);
  });
  it('reads the data-channel capability; a wave-1 peer or an older engine means no chat', () => {
    const base = { name: 'Bo', media: { mic: true, camera: true, screen: false }, connectionState: 'connected' as const };
    const streams = { audioTrack: null, cameraStream: null, screenStream: null };
    const views = snapshotParticipants([
      { id: 'new', ...base, ...streams, capabilities: { data: true } },
      { id: 'wave1', ...base, ...streams, capabilities: { data: false } },
      { id: 'old-engine', ...base, ...streams },
    ]);
    expect(views.map((v) => v.canChat)).toEqual([true, false, false]);
  });
});

describe('labels', () => {
  it('describes connection states people care about', () => {
    expect(connectionLabel('connected')).toBeNull();
    expect(connectionLabel('connecting')).toMatch(/Connecting/);
    expect(connectionLabel('disconnected')).toMatch(/Reconnecting/);
    expect(connectionLabel('failed')).toMatch(/failed/);
  });
  it('counts people', () => {
    expect(peopleCount(1)).toBe('1 person');
    expect(peopleCount(3)).toBe('3 people');
  });
  it('names tiles for screen readers', () => {
    expect(tileLabel('Ada', true, { mic: false, camera: true, screen: false })).toBe('Ada (you), microphone off');
    expect(tileLabel('Bo', false, { mic: true, camera: true, screen: false })).toBe('Bo');
    expect(tileLabel('Bo', false, { mic: false, camera: true, screen: false }, true)).toBe(
      'Bo, connection interrupted, microphone off',
    );
  });
});
