/** What every benchmark reports, and the few statistics they share. bench/run.ts prints and stores these. */

export interface BenchRow {
  /** What was measured, e.g. "search: 'kowal'". */
  measure: string;
  /** Milliseconds, from repeated runs (median and 95th percentile). */
  p50?: number;
  p95?: number;
  /** The same work done the most direct way (e.g. the SQL alone), in the same run, for comparison. */
  baselineP50?: number;
  baselineP95?: number;
  /** p50 divided by the baseline's p50 (the steady cost), and the same for p95 (includes the noise). */
  ratio?: number;
  ratioP95?: number;
  /** A figure that is not a latency, with its unit, e.g. "100,000 rows in 21.4 s (4,672 rows/s)". */
  value?: string;
  /** The target, as text ("p95 < 20 ms, ratio <= 2x"); printed, never asserted. */
  target?: string;
  /** Whether this run met the target. */
  met?: boolean;
}

export interface BenchResult {
  bench: string;
  rows: BenchRow[];
  notes: string[];
}

/** A benchmark module: bench/<name>.ts exporting `run`. */
export interface Bench {
  run(): Promise<BenchResult>;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));
