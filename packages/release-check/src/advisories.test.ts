// The lockfile holds no copy of socket.io, engine.io, socket.io-parser or ws inside a published
// advisory's affected range (advisories.data.ts names each source).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe as suite, expect, it } from 'vitest';
import { ADVISORIES } from './advisories.data.ts';
import { affected, compareVersions, describe, lockedVersions } from './advisories.ts';
import { WORKSPACE } from './project.ts';

const LOCKFILE = readFileSync(join(WORKSPACE, 'pnpm-lock.yaml'), 'utf8');

suite('dependencies past the advisories', () => {
  it('the lockfile holds no affected version', () => {
    const installed = lockedVersions(LOCKFILE).filter((p) => ADVISORIES.some((a) => a.package === p.name));
    // The check sees what it is meant to: each audited package is actually in the lockfile.
    for (const name of ['socket.io', 'engine.io', 'socket.io-parser', 'ws']) {
      expect(installed.map((p) => p.name), name).toContain(name);
    }
    expect(affected(LOCKFILE, ADVISORIES).map(describe)).toEqual([]);
  });

  it('names package, version, advisory and fixed version for an old copy', () => {
    const fake = [
      "lockfileVersion: '9.0'",
      'importers:',
      '  .:',
      '    dependencies:',
      '      socket.io:',
      '        specifier: 4.6.1',
      '        version: 4.6.1',
      'packages:',
      '  socket.io@4.6.1:',
      "    resolution: {integrity: sha512-x}",
      "  'socket.io-parser@4.2.6':",
      "    resolution: {integrity: sha512-x}",
      '  ws@8.21.0:',
      "    resolution: {integrity: sha512-x}",
      "  '@types/node@20.19.43':",
      "    resolution: {integrity: sha512-x}",
      'snapshots:',
      '  socket.io@4.0.0: {}',
    ].join('\n');
    expect(affected(fake, ADVISORIES).map(describe)).toEqual([
      'socket.io@4.6.1 is affected by CVE-2024-38355 (GHSA-25hc-qcg6-38wj); fixed in 4.6.2',
      'socket.io-parser@4.2.6 is affected by CVE-2026-69185 (GHSA-2m8v-j782-fhvr; NVD CVE-2026-69185); fixed in 4.2.7',
    ]);
  });

  it('compares versions numerically, prereleases before releases', () => {
    expect(compareVersions('8.17.10', '8.17.9')).toBeGreaterThan(0);
    expect(compareVersions('4.2.7-rc.1', '4.2.7')).toBeLessThan(0);
    expect(compareVersions('6.6.10', '6.6.10')).toBe(0);
  });
});
