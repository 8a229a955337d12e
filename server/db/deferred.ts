/** A promise with its settling functions, for answers gathered and given out later (batched reads). */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

// Promise.withResolvers, which Node 20 lacks.
export function deferred<T>(): Deferred<T> {
  const entry = {} as Deferred<T>;
  entry.promise = new Promise<T>((resolve, reject) => Object.assign(entry, { resolve, reject }));
  return entry;
}
