import { MeshError, type LaterServerCode } from '../errors.ts';

export const LATER_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * The protocol's error list grows, and clients must read a code they do not know as that error
 * with its message: a refusal that failed the check only for its code is the server's error, not
 * a malformed answer.
 */
export function laterRefusal(answer: unknown): MeshError | null {
  const a = answer as { ok?: unknown; error?: { code?: unknown; message?: unknown } } | null;
  const code = a?.error?.code;
  const message = a?.error?.message;
  if (a?.ok !== false || typeof code !== 'string' || !LATER_CODE.test(code) || typeof message !== 'string') return null;
  return new MeshError(code as LaterServerCode, message.slice(0, 1024));
}
