/** How many failures a key has in its current window, and how long until that window ends. */
export interface AttemptCount {
  count: number;
  resetInMs: number;
}

/**
 * Failure counters with a fixed window per key. In memory by default; the scale-out work puts them in Redis
 * (INCR + PEXPIRE per key gives exactly these semantics), so every instance counts the same attempts.
 */
export interface AttemptCounter {
  /** Counts one more failure; a key seen for the first time (or after its window ended) starts a window. */
  add(key: string, windowMs: number): Promise<AttemptCount>;
  /** The key's count in its current window, or null when it has none. */
  get(key: string): Promise<AttemptCount | null>;
  clear(key: string): Promise<void>;
}

export class MemoryAttemptCounter implements AttemptCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  async add(key: string, windowMs: number): Promise<AttemptCount> {
    const now = Date.now();
    this.forgetEnded(now);
    const current = this.windows.get(key);
    const window = current && current.resetAt > now ? current : { count: 0, resetAt: now + windowMs };
    window.count++;
    this.windows.set(key, window);
    return { count: window.count, resetInMs: window.resetAt - now };
  }

  async get(key: string): Promise<AttemptCount | null> {
    const window = this.windows.get(key);
    const now = Date.now();
    if (!window || window.resetAt <= now) return null;
    return { count: window.count, resetInMs: window.resetAt - now };
  }

  async clear(key: string): Promise<void> {
    this.windows.delete(key);
  }

  /** Drops ended windows once the map grows, so a flood of made-up e-mails cannot grow it without bound. */
  private forgetEnded(now: number): void {
    if (this.windows.size < 10_000) return;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

export interface ThrottleSettings {
  windowMs: number;
  /** Failed sign-ins allowed per e-mail in a window: guessing one account's password. */
  maxPerAccount: number;
  /** Failed sign-ins allowed per network address in a window: trying many accounts from one place. */
  maxPerAddress: number;
}

export const DEFAULT_THROTTLE_SETTINGS: ThrottleSettings = {
  windowMs: 15 * 60_000,
  maxPerAccount: 5,
  // An office behind one address shares this, so it is much larger than the per-account limit.
  maxPerAddress: 50,
};

export class TooManyAttemptsError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. Try again in ${retryAfterSeconds} s.`);
  }
}

/**
 * Sign-in throttling per account and per address. Once either has used up its failures, sign-in is refused
 * (without checking the password, so a correct guess teaches nothing) until that window ends.
 */
export class LoginThrottle {
  constructor(
    private readonly counter: AttemptCounter,
    private readonly settings: ThrottleSettings,
  ) {}

  private keys(email: string, address: string | null) {
    return { account: `account:${email.trim().toLowerCase()}`, address: `address:${address ?? 'unknown'}` };
  }

  /** Throws TooManyAttemptsError while the account or the address is locked out. */
  async check(email: string, address: string | null): Promise<void> {
    const keys = this.keys(email, address);
    const [account, place] = await Promise.all([this.counter.get(keys.account), this.counter.get(keys.address)]);
    const waits = [
      account && account.count >= this.settings.maxPerAccount ? account.resetInMs : 0,
      place && place.count >= this.settings.maxPerAddress ? place.resetInMs : 0,
    ];
    const waitMs = Math.max(...waits);
    if (waitMs > 0) throw new TooManyAttemptsError(Math.max(1, Math.ceil(waitMs / 1000)));
  }

  async failed(email: string, address: string | null): Promise<void> {
    const keys = this.keys(email, address);
    await Promise.all([
      this.counter.add(keys.account, this.settings.windowMs),
      this.counter.add(keys.address, this.settings.windowMs),
    ]);
  }

  /** A sign-in that worked clears the account's failures; the address keeps its count (one good account must not
   * reset a spray over many). */
  async succeeded(email: string): Promise<void> {
    await this.counter.clear(this.keys(email, null).account);
  }
}
