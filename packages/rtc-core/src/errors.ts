import type { ErrorCode } from '@meshmeet/protocol/checks';

/**
 * Every failure the engine reports. The server's codes pass through unchanged so that an app can
 * tell `ROOM_FULL` from a local problem without parsing messages. A code from a later server that
 * this version does not list passes through as well (`LaterServerCode`), with the server's message.
 */
/** An error code from a later revision of the protocol: upper-case letters, digits and `_`. */
export type LaterServerCode = string & { readonly laterServerCode?: never };

export type MeshErrorCode =
  | ErrorCode
  | LaterServerCode
  | 'WEBRTC_UNAVAILABLE'
  | 'SIGNALING_UNAVAILABLE'
  | 'JOIN_ABORTED'
  | 'INVALID_ARGUMENT'
  | 'NEGOTIATION_FAILED'
  | 'PERMISSION_DENIED'
  | 'DEVICE_NOT_FOUND'
  | 'MEDIA_UNAVAILABLE';

export class MeshError extends Error {
  override readonly name = 'MeshError';
  readonly code: MeshErrorCode;
  /** The peer the failure concerns, when it concerns one. */
  readonly peerId: string | undefined;

  constructor(code: MeshErrorCode, message: string, options?: { cause?: unknown; peerId?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.peerId = options?.peerId;
  }
}

export function isMeshError(value: unknown): value is MeshError {
  return value instanceof MeshError;
}
