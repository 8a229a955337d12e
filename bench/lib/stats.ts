import { percentile, round } from '../report';

export interface Latencies {
  p50: number;
  p95: number;
  p99: number;
  count: number;
}

export function latencies(samples: number[]): Latencies {
  return {
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
    count: samples.length,
  };
}

export const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));

/** Reads a list of whole numbers from the environment ("1,100,500"), or the default. */
export function envNumbers(name: string, fallback: number[]): number[] {
  const text = process.env[name];
  if (!text) return fallback;
  const numbers = text.split(',').map((part) => Number(part.trim()));
  if (numbers.some((value) => !Number.isInteger(value) || value <= 0)) {
    throw new Error(`${name} must be whole numbers separated by commas, not "${text}".`);
  }
  return numbers;
}

export function envNumber(name: string, fallback: number): number {
  const [value] = envNumbers(name, [fallback]);
  return value ?? fallback;
}

/** Runs `open` for 0..count-1, `batch` at a time (a thousand upgrades at once would measure the kernel's backlog). */
export async function inBatches<T>(count: number, batch: number, open: (index: number) => Promise<T>): Promise<T[]> {
  const opened: T[] = [];
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start);
    opened.push(...(await Promise.all(Array.from({ length: size }, (_, i) => open(start + i)))));
  }
  return opened;
}
