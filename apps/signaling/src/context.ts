import type { IceServer } from '@meshmeet/protocol';
import type { CredentialSigner } from '@meshmeet/protocol/rooms';
import type { AppServer } from './server.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { RoomStore } from './store/RoomStore.ts';
import type { JoinTokenVerifier } from './auth.ts';

export type { Rooms } from './store/MemoryRoomStore.ts';

/** What every handler works with; built once per server. */
export interface ServerContext {
  readonly config: Config;
  readonly io: AppServer;
  /** Where rooms live: this process, or Redis (multi-node mode). */
  readonly store: RoomStore;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly signer: CredentialSigner;
  readonly iceServers: IceServer[];
  /** null when the server has no AUTH_SECRET: joins need no token. */
  readonly auth: JoinTokenVerifier | null;
  isDraining(): boolean;
}
