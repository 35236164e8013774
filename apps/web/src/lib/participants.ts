import type { MediaState } from '@meshmeet/protocol';
import type { RemoteParticipant } from '@meshmeet/rtc-core';
import { canReceiveData } from './meshChat.ts';

/** The part of rtc-core's RemoteParticipant the UI reads (tests build plain objects of it). */
export type ParticipantLike = Pick<
  RemoteParticipant,
  'id' | 'name' | 'media' | 'connectionState' | 'audioTrack' | 'cameraStream' | 'screenStream'
> & {
  /** rtc-core's `interrupted`; optional so that tests may leave it out (absent: not interrupted). */
  readonly interrupted?: boolean;
  /** rtc-core's data-channel capability (issue 12); absent on older engines: no chat. */
  readonly capabilities?: { readonly data: boolean };
};

/**
 * A frozen copy of one remote participant for rendering. The UI re-snapshots on every mesh event
 * instead of making rtc-core's objects reactive: Vue proxies would wrap MediaStreams, which the
 * browser then refuses as `srcObject`.
 */
export interface RemoteView {
  readonly id: string;
  readonly name: string;
  readonly media: Readonly<MediaState>;
  readonly connectionState: RTCPeerConnectionState;
  readonly audioTrack: MediaStreamTrack | null;
  readonly cameraStream: MediaStream | null;
  readonly screenStream: MediaStream | null;
  /** Media from them stopped arriving; their tile stays, marked, until it resumes or they leave. */
  readonly interrupted: boolean;
  /** They can receive chat, hands and reactions (false for a client of the wave-1 contract). */
  readonly canChat: boolean;
}

export function snapshotParticipants(participants: Iterable<ParticipantLike>): RemoteView[] {
  const views: RemoteView[] = [];
  for (const p of participants) {
    views.push(
      Object.freeze({
        id: p.id,
        name: p.name,
        media: Object.freeze({ ...p.media }),
        connectionState: p.connectionState,
        audioTrack: p.audioTrack,
        cameraStream: p.cameraStream,
        screenStream: p.screenStream,
        interrupted: p.interrupted === true,
        canChat: canReceiveData(p),
      }),
    );
  }
  return views;
}

/** The label a tile shows for its connection, or null when there is nothing to say. */
export function connectionLabel(state: RTCPeerConnectionState): string | null {
  switch (state) {
    case 'new':
    case 'connecting':
      return 'Connecting…';
    case 'disconnected':
      return 'Reconnecting…';
    case 'failed':
      return 'Connection failed';
    case 'closed':
      return 'Disconnected';
    default:
      return null;
  }
}

/** "2 people" / "1 person": the participant count in the header, self included. */
export function peopleCount(count: number): string {
  return `${count} ${count === 1 ? 'person' : 'people'}`;
}

/** What a screen reader hears for a tile: name, whose it is, what is off, and a stalled link. */
export function tileLabel(name: string, self: boolean, media: MediaState, interrupted = false): string {
  const parts = [self ? `${name} (you)` : name];
  if (interrupted) parts.push('connection interrupted');
  if (!media.mic) parts.push('microphone off');
  if (!media.camera) parts.push('camera off');
  return parts.join(', ');
}
