import type { IceServer } from '@meshmeet/protocol';
import type { CredentialSigner, RoomModel } from '@meshmeet/protocol/rooms';
import type { AppServer } from './server.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { AppSocket } from './session.ts';

export type Rooms = RoomModel<AppSocket, NodeJS.Timeout>;

/** What every handler works with; built once per server. */
export interface ServerContext {
  readonly config: Config;
  readonly io: AppServer;
  readonly rooms: Rooms;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly signer: CredentialSigner;
  readonly iceServers: IceServer[];
  isDraining(): boolean;
}
