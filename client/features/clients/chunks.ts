/** Clients per call: a larger selection goes in chunks of this many, with a progress bar. */
export const BULK_CHUNK = 500;

export interface Progress {
  done: number;
  total: number;
}

/**
 * Runs `work` on the ids: at once when they are few, else in chunks of BULK_CHUNK, reporting the progress before
 * each chunk and null at the end (also when a chunk fails). Answers what the calls answered, summed.
 */
export async function inChunks<Result extends { affected: number; ids?: number[] }>(
  ids: readonly number[] | Promise<readonly number[]>,
  work: (chunk: { ids: number[] }) => Promise<Result>,
  onProgress: (progress: Progress | null) => void,
): Promise<{ affected: number; ids: number[] }> {
  const all = await ids;
  const result = { affected: 0, ids: [] as number[] };
  try {
    for (let start = 0; start < all.length; start += BULK_CHUNK) {
      if (all.length > BULK_CHUNK) onProgress({ done: start, total: all.length });
      const done = await work({ ids: all.slice(start, start + BULK_CHUNK) });
      result.affected += done.affected;
      result.ids.push(...(done.ids ?? []));
    }
  } finally {
    onProgress(null);
  }
  return result;
}
