import freeice from 'freeice';
import type { IceServer } from '@meshmeet/protocol';
import type { Config } from './config.ts';
import { turnCredentials } from './turn.ts';

/** The STUN list every join ack carries; chosen once per process (freeice picks at random). */
export function staticIceServers(config: Config): IceServer[] {
  if (config.iceServers) return config.iceServers;
  // freeice returns entries with the deprecated `url` and undefined credentials; keep `urls` only.
  return freeice().flatMap((server) => {
    const urls = server.urls ?? server.url;
    return urls ? [{ urls }] : [];
  });
}

/** The ICE servers for one participant: the static list plus, when configured, its own TURN entry. */
export function iceServersFor(config: Config, base: IceServer[], peerId: string, nowMs: number, notAfterMs = Infinity): IceServer[] {
  if (!config.turn) return base;
  return [...base, turnCredentials(config.turn, peerId, nowMs, notAfterMs)];
}
