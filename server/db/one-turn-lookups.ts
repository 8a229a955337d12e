/**
 * Keys asked for in the same turn of the event loop, looked up together: one lookup per `perLookup` keys instead of
 * one per key. Used where many callers ask at once (the saves answered by one group commit re-reading their rows,
 * every subscription woken by a save checking its session), each lookup a round trip of its own otherwise.
 *
 * Nothing is cached: a key joins only a lookup that has not started yet, so its answer is read after it was asked
 * for, exactly as fresh as a lookup of its own. A key asked again before its lookup starts is looked up once.
 */
export class OneTurnLookups<K, V> {
  /** The part being filled now: the last of the parts not yet looked up. */
  private filling: Map<K, Deferred<V>> | null = null;
  /** Every key not yet looked up, whichever part holds it. */
  private readonly queued = new Map<K, Deferred<V>>();

  /** `lookUp` answers every key it is given, in the keys' order. */
  constructor(
    private readonly perLookup: number,
    private readonly lookUp: (keys: K[]) => Promise<V[]>,
  ) {}

  /** The key's answer; the promise of a key queued already, not a new one (a round asks this a thousand times). */
  get(key: K): Promise<V> {
    const queued = this.queued.get(key);
    if (queued) return queued.promise;
    if (!this.filling || this.filling.size >= this.perLookup) {
      const part = new Map<K, Deferred<V>>();
      this.filling = part;
      setImmediate(() => {
        if (this.filling === part) this.filling = null;
        for (const partKey of part.keys()) this.queued.delete(partKey);
        this.answer(part);
      });
    }
    const entry = deferred<V>();
    this.filling.set(key, entry);
    this.queued.set(key, entry);
    return entry.promise;
  }

  private answer(part: Map<K, Deferred<V>>): void {
    this.lookUp([...part.keys()]).then(
      (answers) => {
        let index = 0;
        for (const entry of part.values()) entry.resolve(answers[index++] as V);
      },
      (error: unknown) => {
        for (const entry of part.values()) entry.reject(error);
      },
    );
  }
}

/** A promise with its settling functions, for answers gathered and given out later (batched reads). */
interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

// Promise.withResolvers, which Node 20 lacks.
function deferred<T>(): Deferred<T> {
  const entry = {} as Deferred<T>;
  entry.promise = new Promise<T>((resolve, reject) => Object.assign(entry, { resolve, reject }));
  return entry;
}
