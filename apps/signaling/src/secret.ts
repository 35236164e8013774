import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './logger.ts';

export type SecretSource = 'env' | 'state-file' | 'ephemeral';

const FILE = 'session-secret';
const MIN_LENGTH = 32;

/**
 * The secret that signs resume credentials. SESSION_SECRET wins; without it the server keeps a
 * generated one in `<stateDir>/session-secret` so that a restart (`npm start` again) still
 * accepts the credentials its clients hold. When that file cannot be used the secret is
 * ephemeral: the server works, but a restart refuses every resume. The secret is never logged.
 */
export function resolveSessionSecret(configured: string | null, stateDir: string, log: Logger): { secret: string; source: SecretSource } {
  if (configured !== null) return { secret: configured, source: 'env' };
  const path = join(stateDir, FILE);
  try {
    return { secret: readOrCreate(stateDir, path, log), source: 'state-file' };
  } catch (error) {
    log.warn('session secret state file unusable; resumes will not survive a restart', { path, error: describe(error) });
    return { secret: generate(), source: 'ephemeral' };
  }
}

function generate(): string {
  return randomBytes(32).toString('base64url');
}

function readOrCreate(stateDir: string, path: string, log: Logger): string {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const existing = readIfPresent(path, log);
  if (existing !== null) return existing;
  // Written whole under a private name, then linked into place: link() fails if the name exists,
  // so when two servers start at once exactly one file wins and both end up reading it; nobody
  // ever reads a half-written secret.
  const temp = join(stateDir, `.${FILE}.${process.pid}.${randomBytes(6).toString('hex')}`);
  writeFileSync(temp, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  const created = readIfPresent(path, log);
  if (created === null) throw new SecretFileError('the session secret file vanished after it was created');
  return created;
}

function readIfPresent(path: string, log: Logger): string | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const secret = text.trim();
  if (secret.length < MIN_LENGTH) throw new SecretFileError(`the session secret file holds fewer than ${MIN_LENGTH} characters`);
  if ((statSync(path).mode & 0o077) !== 0) log.warn('session secret file is readable by others; chmod 600 it', { path });
  return secret;
}

export class SecretFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretFileError';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
