import { describe, expect, it } from 'vitest';
import { OneTurnLookups } from './one-turn-lookups';

/** Lookups that record the keys of every lookup and answer each key with its value in `known`. */
function recording(perLookup: number, known: Map<string, number>) {
  const lookups: string[][] = [];
  const one = new OneTurnLookups<string, number | undefined>(perLookup, async (keys) => {
    lookups.push(keys);
    return keys.map((key) => known.get(key));
  });
  return { one, lookups };
}

const abc = () =>
  new Map([
    ['a', 1],
    ['b', 2],
    ['c', 3],
  ]);

describe('OneTurnLookups', () => {
  it('looks up the keys asked for in one turn together, in parts of at most perLookup', async () => {
    const { one, lookups } = recording(2, abc());
    const answers = await Promise.all(['a', 'b', 'c', 'x'].map((key) => one.get(key)));
    expect(answers).toEqual([1, 2, 3, undefined]);
    expect(lookups).toEqual([
      ['a', 'b'],
      ['c', 'x'],
    ]);
  });

  it('looks up a key asked twice before its lookup starts once, even when a later part is filling', async () => {
    const { one, lookups } = recording(2, abc());
    const answers = await Promise.all(['a', 'b', 'c', 'a', 'c'].map((key) => one.get(key)));
    expect(answers).toEqual([1, 2, 3, 1, 3]);
    expect(lookups.flat().sort()).toEqual(['a', 'b', 'c']);
    // The same promise, not a new one per ask: a round of a thousand subscriptions asks for a few hundred keys.
    const asked = one.get('b');
    expect(one.get('b')).toBe(asked);
    expect(await asked).toBe(2);
  });

  it('reads a key again once its lookup has started: nothing is cached', async () => {
    const known = new Map([['a', 1]]);
    const { one, lookups } = recording(10, known);
    expect(await one.get('a')).toBe(1);
    known.set('a', 2);
    expect(await one.get('a')).toBe(2);
    expect(lookups).toEqual([['a'], ['a']]);
  });

  it('gives a failed lookup’s error to every key of that part only', async () => {
    let calls = 0;
    const one = new OneTurnLookups<string, string>(1, async (keys) => {
      calls++;
      if (keys[0] === 'bad') throw new Error('database gone');
      return keys.map((key) => key.toUpperCase());
    });
    const [bad, good] = await Promise.allSettled([one.get('bad'), one.get('ok')]);
    expect(bad).toEqual({ status: 'rejected', reason: new Error('database gone') });
    expect(good).toEqual({ status: 'fulfilled', value: 'OK' });
    expect(calls).toBe(2);
  });
});
