import { describe, expect, it } from 'vitest';
import { BULK_CHUNK, inChunks, type Progress } from './chunks';

const idsUpTo = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

describe('bulk actions in chunks', () => {
  it('sends a large selection in chunks, every id once, with the progress bar moving to the end', async () => {
    const seen: number[] = [];
    const progress: (Progress | null)[] = [];
    const result = await inChunks(
      Promise.resolve(idsUpTo(1_234)),
      async ({ ids }) => {
        expect(ids.length).toBeLessThanOrEqual(BULK_CHUNK);
        seen.push(...ids);
        return { affected: ids.length, ids };
      },
      (step) => progress.push(step),
    );
    expect(seen).toEqual(idsUpTo(1_234));
    expect(result.affected).toBe(1_234);
    expect(result.ids).toHaveLength(1_234);
    expect(progress).toEqual([
      { done: 0, total: 1_234 },
      { done: 500, total: 1_234 },
      { done: 1_000, total: 1_234 },
      null,
    ]);
  });

  it('shows no progress bar for a small selection, sent in one call', async () => {
    const calls: number[][] = [];
    const progress: (Progress | null)[] = [];
    await inChunks(
      [1, 2, 3],
      async ({ ids }) => {
        calls.push(ids);
        return { affected: ids.length };
      },
      (step) => progress.push(step),
    );
    expect(calls).toEqual([[1, 2, 3]]);
    expect(progress).toEqual([null]);
  });

  it('stops at a failed chunk and takes the progress bar away, so the error shows instead', async () => {
    const progress: (Progress | null)[] = [];
    let calls = 0;
    await expect(
      inChunks(
        idsUpTo(1_200),
        async ({ ids }) => {
          if (++calls === 2) throw new Error('The server refused the second chunk');
          return { affected: ids.length };
        },
        (step) => progress.push(step),
      ),
    ).rejects.toThrow('second chunk');
    expect(calls).toBe(2);
    expect(progress.at(-1)).toBeNull();
  });
});
