import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from './logger.ts';
import { resolveSessionSecret } from './secret.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshmeet-secret-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function recordingLogger(): Logger & { warnings: { message: string; context: unknown }[] } {
  const warnings: { message: string; context: unknown }[] = [];
  return { ...silentLogger, warn: (message, context) => warnings.push({ message, context }), warnings };
}

describe('resolveSessionSecret', () => {
  it('uses SESSION_SECRET when set and touches no file', () => {
    const dir = tempDir();
    expect(resolveSessionSecret('x'.repeat(40), join(dir, 'state'), silentLogger)).toEqual({ secret: 'x'.repeat(40), source: 'env' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('creates a private state file once and reads the same secret back on the next start', () => {
    const dir = join(tempDir(), 'nested', 'state');
    const first = resolveSessionSecret(null, dir, silentLogger);
    expect(first.source).toBe('state-file');
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dir, 'session-secret')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['session-secret']);
    expect(resolveSessionSecret(null, dir, silentLogger)).toEqual(first);
  });

  it('falls back to an ephemeral secret with a warning when the state dir cannot be written', () => {
    const dir = tempDir();
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const log = recordingLogger();
    const result = resolveSessionSecret(null, join(file, 'state'), log);
    expect(result.source).toBe('ephemeral');
    expect(result.secret.length).toBeGreaterThanOrEqual(32);
    expect(log.warnings.map((w) => w.message)).toEqual(['session secret state file unusable; resumes will not survive a restart']);
    expect(JSON.stringify(log.warnings)).not.toContain(result.secret);
  });

  it('refuses a truncated state file rather than using a weak secret', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'session-secret'), 'short\n', { mode: 0o600 });
    const log = recordingLogger();
    expect(resolveSessionSecret(null, dir, log).source).toBe('ephemeral');
    expect(log.warnings).toHaveLength(1);
  });

  it('warns when the state file is readable by others, and still uses it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'session-secret'), `${'k'.repeat(43)}\n`, { mode: 0o644 });
    const log = recordingLogger();
    expect(resolveSessionSecret(null, dir, log)).toEqual({ secret: 'k'.repeat(43), source: 'state-file' });
    expect(log.warnings.map((w) => w.message)).toEqual(['session secret file is readable by others; chmod 600 it']);
  });
});
