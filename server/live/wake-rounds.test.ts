import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { InProcessBus } from './bus';
import { WakeRounds } from './wake-rounds';

/** The rounds' own rules, on a fake clock: when a save wakes the streams, and when it waits for the next round. */
let bus: InProcessBus;
let rounds: WakeRounds;

beforeEach(() => {
  vi.useFakeTimers();
  bus = new InProcessBus();
  rounds = new WakeRounds(bus, { roundGapFactor: 3, maxRoundGapMs: 50, maxRoundMs: 100 });
});

afterEach(() => {
  rounds.close();
  vi.useRealTimers();
});

/** A stream that records the seqs it was woken with. */
function stream() {
  const woken: number[] = [];
  const member = rounds.join((seq) => woken.push(seq));
  return { woken, member };
}

it('wakes every stream at once for a save when no round is going on', () => {
  const a = stream();
  const b = stream();
  bus.publish(1);
  expect(a.woken).toEqual([1]);
  expect(b.woken).toEqual([1]);
  a.member.done();
  b.member.done();
  // The round is over and nothing came during it: the next save is not held back either.
  bus.publish(2);
  expect(a.woken).toEqual([1, 2]);
});

it('holds saves that land during a round, then wakes once for all of them after a gap of three times the round', () => {
  const a = stream();
  const b = stream();
  bus.publish(1);
  vi.advanceTimersByTime(4);
  bus.publish(2);
  bus.publish(3);
  a.member.done();
  expect(a.woken).toEqual([1]); // b is still sending: the round goes on
  b.member.done(); // the round took 4 ms: the next waits 12 ms
  vi.advanceTimersByTime(11);
  expect(a.woken).toEqual([1]);
  vi.advanceTimersByTime(1);
  expect(a.woken).toEqual([1, 3]);
  expect(b.woken).toEqual([1, 3]);
});

it('never waits longer than the longest gap, nor for a stream stuck on a full socket longer than a round may last', () => {
  const quick = stream();
  stream(); // never calls done: its socket is full
  bus.publish(1);
  bus.publish(2);
  quick.member.done();
  vi.advanceTimersByTime(99);
  expect(quick.woken).toEqual([1]);
  vi.advanceTimersByTime(1); // the round is cut at 100 ms; 300 ms of gap is capped at 50
  vi.advanceTimersByTime(49);
  expect(quick.woken).toEqual([1]);
  vi.advanceTimersByTime(1);
  expect(quick.woken).toEqual([1, 2]);
});

it('ends a round when the last stream still in it leaves, and wakes no stream that left', () => {
  const a = stream();
  const b = stream();
  bus.publish(1);
  a.member.done();
  b.member.leave();
  bus.publish(2);
  expect(a.woken).toEqual([1, 2]);
  expect(b.woken).toEqual([1]);
});
