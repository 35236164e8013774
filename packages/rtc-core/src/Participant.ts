import { CAPABILITIES, NO_MEDIA, type MediaState, type Peer } from '@meshmeet/protocol/checks';
import type { PeerLink } from './PeerLink.ts';
import type { RemoteParticipant } from './types.ts';

/** The mesh's record of one remote participant; apps see it through `RemoteParticipant`. */
export class Participant implements RemoteParticipant {
  readonly id: string;
  name: string;
  media: MediaState;
  link: PeerLink | null = null;
  /** Set once the participant is gone, or while its link has failed (and until a new one starts). */
  finalState: RTCPeerConnectionState | null = null;
  interrupted = false;
  capabilities: { data: boolean };
  /** When that participant raised its hand (its clock), or null. */
  handRaisedAt: number | null = null;
  /**
   * False after a resume on a server that had lost the room (`restored`), until the server shows
   * this participant again: its connection is kept meanwhile.
   */
  confirmed = true;
  /** Failed first negotiations in a row (the offerer starts over with a growing delay). */
  retries = 0;
  retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(id: string, name: string, media: MediaState = NO_MEDIA, caps: Peer['caps'] = []) {
    this.id = id;
    this.name = name;
    this.media = { ...media };
    this.capabilities = capabilitiesOf(caps);
  }

  get connectionState(): RTCPeerConnectionState {
    return this.finalState ?? this.link?.connectionState ?? 'new';
  }

  get audioTrack(): MediaStreamTrack | null {
    return this.link?.received('mic')?.track ?? null;
  }

  get cameraStream(): MediaStream | null {
    return this.link?.received('camera')?.stream ?? null;
  }

  get screenStream(): MediaStream | null {
    return this.link?.received('screen')?.stream ?? null;
  }
}

export function capabilitiesOf(caps: Peer['caps']): { data: boolean } {
  return { data: caps?.includes(CAPABILITIES.data) ?? false };
}
