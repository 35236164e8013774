/**
 * Which installed versions in a pnpm lockfile fall inside a published advisory's affected range.
 * Reads only the `packages:` section's `name@version` keys, so every copy pnpm installs (direct or
 * transitive, any importer) is checked.
 */
import type { Advisory } from './advisories.data.ts';

export interface Finding {
  package: string;
  version: string;
  advisory: string;
  source: string;
  fixed: string;
}

/** Every `name@version` under the lockfile's `packages:` key. */
export function lockedVersions(lockfile: string): { name: string; version: string }[] {
  const found: { name: string; version: string }[] = [];
  let inPackages = false;
  for (const line of lockfile.split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      inPackages = line.trimEnd() === 'packages:';
      continue;
    }
    if (!inPackages) continue;
    const key = /^ {2}'?([^\s':]+)'?:\s*$/.exec(line)?.[1];
    if (!key) continue;
    const at = key.lastIndexOf('@');
    if (at <= 0) continue; // a scoped name without a version is no package key
    found.push({ name: key.slice(0, at), version: key.slice(at + 1) });
  }
  return found;
}

/** Numeric major.minor.patch; a prerelease sorts before its release, as in semver. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.split('+')[0]!.split(/-(.*)/s);
    return { nums: core.split('.').map((n) => Number.parseInt(n, 10) || 0), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (x.pre === undefined) return y.pre === undefined ? 0 : 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : x.pre > y.pre ? 1 : 0;
}

/** Installed versions inside an affected range, one finding per (copy, advisory). */
export function affected(lockfile: string, advisories: Advisory[]): Finding[] {
  const findings: Finding[] = [];
  for (const { name, version } of lockedVersions(lockfile)) {
    for (const advisory of advisories) {
      if (advisory.package !== name) continue;
      const range = advisory.ranges.find((r) => compareVersions(version, r.introduced) >= 0 && compareVersions(version, r.fixed) < 0);
      if (range) findings.push({ package: name, version, advisory: advisory.id, source: advisory.source, fixed: range.fixed });
    }
  }
  return findings;
}

export function describe(finding: Finding): string {
  return `${finding.package}@${finding.version} is affected by ${finding.advisory} (${finding.source}); fixed in ${finding.fixed}`;
}
