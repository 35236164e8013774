import { MEDIA_SOURCES, type MediaSource } from '@meshmeet/protocol';

/** One step of a bot's media schedule: at `atMs` after joining, turn `source` on or off. */
export interface ScheduleStep {
  atMs: number;
  source: MediaSource;
  on: boolean;
}

/** Parses a duration such as "30s", "1.5m", "500ms" or a bare number of seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new RangeError(`duration must look like 30s, 500ms or 2m, got "${text}"`);
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  return Math.round(unit === 'ms' ? value : unit === 's' ? value * 1000 : value * 60_000);
}

/**
 * Parses "camera:off@10s,camera:on@20s,screen:on@5s" into steps sorted by time. Sources are the
 * protocol's (mic, camera, screen).
 */
export function parseSchedule(text: string): ScheduleStep[] {
  if (text.trim() === '') return [];
  const steps = text.split(',').map((part) => {
    const match = /^(\w+):(on|off)@(.+)$/.exec(part.trim());
    if (!match) throw new RangeError(`schedule step must look like camera:off@10s, got "${part}"`);
    const source = match[1] as MediaSource;
    if (!MEDIA_SOURCES.includes(source)) throw new RangeError(`unknown media source "${match[1]}" (use ${MEDIA_SOURCES.join(', ')})`);
    return { atMs: parseDuration(match[3] ?? ''), source, on: match[2] === 'on' };
  });
  return steps.sort((a, b) => a.atMs - b.atMs);
}
