/** Small numeric helpers shared by the CLI report and the benchmarks. */
export interface Distribution {
  count: number;
  min: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

/** Nearest-rank percentile of an ascending array; null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? null;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);
  return {
    count: sorted.length,
    min: round(sorted[0] ?? null),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? null),
    mean: round(sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null),
  };
}

export function median(values: readonly number[]): number | null {
  return percentile([...values].sort((a, b) => a - b), 50);
}
