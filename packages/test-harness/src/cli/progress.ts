/** Live state of one room, sampled about once a second. */
export interface RoomProgress {
  room: string;
  joined: number;
  total: number;
  /** Pairs connected (media) or negotiated (signaling-only), of all pairs of the room. */
  pairsDone: number;
  pairs: number;
  /** Mean received fps over the room's flows in the last sample (media runs). */
  fps: number | null;
}

export function formatProgress(elapsedMs: number, rooms: readonly RoomProgress[], pairLabel: string): string[] {
  const head = `t=${(elapsedMs / 1000).toFixed(0).padStart(3)}s`;
  return rooms.map((r) => `${head}  ${r.room.padEnd(16)} joined ${String(r.joined).padStart(3)}/${r.total}  ${pairLabel} ${String(r.pairsDone).padStart(4)}/${r.pairs}${r.fps === null ? '' : `  fps ${r.fps.toFixed(1)}`}`);
}

/**
 * Writes progress lines: redrawn in place on a terminal, else (CI logs) one block every few
 * seconds so the log stays readable.
 */
export class ProgressPrinter {
  private drawn = 0;
  private lastPlain = -Infinity;

  constructor(
    private readonly out: NodeJS.WriteStream | NodeJS.WritableStream = process.stderr,
    private readonly tty = Boolean((out as NodeJS.WriteStream).isTTY),
  ) {}

  print(lines: readonly string[], elapsedMs: number): void {
    if (this.tty) {
      if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A`);
      for (const line of lines) this.out.write(`\x1b[2K${line}\n`);
      this.drawn = lines.length;
    } else if (elapsedMs - this.lastPlain >= 5000) {
      this.lastPlain = elapsedMs;
      for (const line of lines) this.out.write(`${line}\n`);
    }
  }
}
