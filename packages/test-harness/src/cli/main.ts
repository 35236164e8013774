import { writeFile } from 'node:fs/promises';
import { spawnServer, type SpawnedServer } from '../server/spawnServer.ts';
import { USAGE, UsageError, parseArgs, roomNames, type CliOptions } from './args.ts';
import { renderHtml } from './html.ts';
import { runBots } from './mediaRun.ts';
import { ProgressPrinter, formatProgress } from './progress.ts';
import { formatReport, mediaReport, signalingReport, type RunReport } from './report.ts';
import { runSignalingOnly } from './signalingRun.ts';

/** Runs the CLI; returns the exit code (0 ok, 1 a flow failed, 2 bad usage). */
export async function main(argv: readonly string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    out.write(`${USAGE}\n`);
    return 0;
  }
  const report = await run(options);
  out.write(`${formatReport(report)}\n`);
  if (options.json) await writeFile(options.json, JSON.stringify(report, null, 2));
  if (options.html) await writeFile(options.html, renderHtml(report));
  return report.ok ? 0 : 1;
}

/** One run as the CLI does it, minus printing: spawns a local server when no --url is given. */
export async function run(options: CliOptions): Promise<RunReport> {
  let server: SpawnedServer | null = null;
  if (options.url === null) {
    // Room size past the default cap only matters for local runs of big rooms.
    server = await spawnServer({ env: { MAX_PEERS_PER_ROOM: String(Math.max(8, options.count)) } });
  }
  const url = options.url ?? server!.url;
  const rooms = roomNames(options);
  const printer = options.quiet ? null : new ProgressPrinter();
  const startedAt = new Date();
  try {
    if (options.signalingOnly) {
      const t0 = performance.now();
      const participants = await runSignalingOnly({ url, rooms, count: options.count, durationMs: options.durationMs, rampMs: options.rampMs, onProgress: (t, p) => printer?.print(formatProgress(t, p, 'negotiated'), t) });
      return signalingReport({ options, url, rooms, startedAt, wallMs: performance.now() - t0 }, participants);
    }
    const result = await runBots({
      url,
      rooms,
      count: options.count,
      durationMs: options.durationMs,
      video: options.video,
      audio: options.audio,
      schedule: options.schedule,
      chat: options.chat,
      dataChannels: options.dataChannels,
      rampMs: options.rampMs,
      ice: options.ice,
      relayOnly: options.relayOnly,
      followSteps: options.followSteps,
      onProgress: (t, p) => printer?.print(formatProgress(t, p, 'connected'), t),
    });
    return mediaReport({ options, url, rooms, startedAt, wallMs: result.wallMs }, result.bots, result.cpuSeconds);
  } finally {
    await server?.stop();
  }
}
