import type { Bus } from './bus';

export interface WakeRoundSettings {
  /** After a round, the next waits this many times as long as the round took (saves pouring in). */
  roundGapFactor: number;
  /** ...but never longer than this. */
  maxRoundGapMs: number;
  /** A round counts as over after this long, even if a slow subscriber is still sending. */
  maxRoundMs: number;
}

/** One subscription's place in the rounds. */
export interface RoundMember {
  /** Call when the wake-up has been handled: everything the log held up to the seq it carried is sent. */
  done(): void;
  leave(): void;
}

interface Member {
  wake: (seq: number) => void;
  awake: boolean;
}

/**
 * Wakes the live subscriptions of one app in rounds. A save wakes every subscription, and each then reads its
 * session and the log and sends a frame: that costs about the same for one event as for fifty. When saves pour
 * in (hundreds a second), waking everyone for each would spend the whole CPU on those rounds and starve the
 * saves themselves. So a save that lands while a round is still going on waits for it, and then the next round
 * starts `roundGapFactor` times the last round's length later (at most `maxRoundGapMs`): one frame carries every
 * save of the gap, and delivery takes a bounded share of the CPU. A save landing when no round is going on
 * wakes everyone at once, so an ordinary save is not delayed at all.
 */
export class WakeRounds {
  private readonly members = new Set<Member>();
  private announced = 0;
  /** The seq the last round woke everyone for. */
  private woken = 0;
  private round: { startedAt: number; waiting: number; timer: NodeJS.Timeout } | null = null;
  private nextAt = 0;
  private scheduled: NodeJS.Timeout | null = null;
  private readonly stopListening: () => void;

  constructor(
    bus: Bus,
    private readonly settings: WakeRoundSettings,
  ) {
    this.stopListening = bus.subscribe((seq) => {
      this.announced = Math.max(this.announced, seq);
      this.request();
    });
  }

  /** `wake` hears the newest seq announced; the member calls `done` once it has sent up to it. */
  join(wake: (seq: number) => void): RoundMember {
    const member: Member = { wake, awake: false };
    this.members.add(member);
    return {
      done: () => this.finished(member),
      leave: () => {
        this.finished(member);
        this.members.delete(member);
      },
    };
  }

  close(): void {
    this.stopListening();
    if (this.round) clearTimeout(this.round.timer);
    if (this.scheduled) clearTimeout(this.scheduled);
  }

  private request(): void {
    if (this.round || this.scheduled) return; // the round after the current one, or the one scheduled, covers it
    const wait = this.nextAt - performance.now();
    if (wait <= 0) this.start();
    else
      this.scheduled = setTimeout(() => {
        this.scheduled = null;
        this.start();
      }, wait);
  }

  private start(): void {
    const startedAt = performance.now();
    const seq = this.announced;
    this.woken = seq;
    const timer = setTimeout(() => this.end(), this.settings.maxRoundMs);
    this.round = { startedAt, waiting: this.members.size, timer };
    for (const member of this.members) member.awake = true;
    for (const member of this.members) member.wake(seq);
    if (this.round?.waiting === 0) this.end();
  }

  private finished(member: Member): void {
    if (!member.awake) return;
    member.awake = false;
    if (this.round && --this.round.waiting <= 0) this.end();
  }

  private end(): void {
    const round = this.round;
    if (!round) return;
    clearTimeout(round.timer);
    this.round = null;
    for (const member of this.members) member.awake = false;
    // Saves announced during the round are pouring in: the next round sends them after the gap. Otherwise the
    // next save starts a round at once.
    if (this.announced > this.woken) {
      const now = performance.now();
      this.nextAt = now + Math.min(this.settings.maxRoundGapMs, (now - round.startedAt) * this.settings.roundGapFactor);
      this.request();
    } else {
      this.nextAt = 0;
    }
  }
}
