import superjson from 'superjson';
import WebSocket from 'ws';

/**
 * A bare WebSocket speaking tRPC's protocol (JSON messages `{ id, method, params: { path, input } }`, answers
 * `{ id, result }` or `{ id, error }`), for what the tRPC client is too heavy or too polite for: a thousand
 * subscribers in one process, the arrival time of each raw frame, and deliberately malformed messages.
 * It answers the server's keep-alive PING, as the browser's client does.
 */

export interface TrpcFrame {
  id: number | string | null;
  result?: { type: 'started' | 'stopped' | 'data'; id?: string; data?: unknown };
  error?: { json?: { message: string; code: number; data?: { code: string; httpStatus?: number } } };
  method?: string;
}

export interface SubscriptionHandlers {
  /** A data frame, with the moment it arrived (performance.now()) and its size in bytes. */
  onData?: (frame: TrpcFrame, arrivedAt: number, bytes: number) => void;
  onError?: (frame: TrpcFrame) => void;
}

/**
 * An input as tRPC's client puts it on the wire (superjson), or, for what superjson refuses to serialize (a
 * `__proto__` key), as plain JSON: an attacker's client would send it anyway.
 */
export function wireInput(input: unknown): unknown {
  try {
    return superjson.serialize(input);
  } catch {
    return { json: input };
  }
}

/** JSON text of a message; BigInts (which only fuzzed inputs hold outside superjson) as strings. */
export function toJson(message: unknown): string {
  return JSON.stringify(message, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
}

export class TrpcSocket {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (frame: TrpcFrame) => void }>();
  private readonly subscriptions = new Map<number, SubscriptionHandlers>();
  /** Every frame that was not a PING/PONG, in order, when `record` is on. */
  readonly frames: TrpcFrame[] = [];
  closed = false;

  private constructor(
    readonly socket: WebSocket,
    private readonly record: boolean,
    private readonly onText?: (text: string) => void,
  ) {
    socket.on('message', (raw, isBinary) => {
      const arrivedAt = performance.now();
      const text = raw.toString();
      if (!isBinary && text === 'PING') {
        socket.send('PONG');
        return;
      }
      if (!isBinary && text === 'PONG') return;
      if (onText) {
        onText(text);
        return;
      }
      let frame: TrpcFrame;
      try {
        frame = JSON.parse(text) as TrpcFrame;
      } catch {
        frame = { id: null, method: `unparsable: ${text.slice(0, 200)}` };
      }
      if (this.record) this.frames.push(frame);
      const id = typeof frame.id === 'number' ? frame.id : Number(frame.id);
      const subscription = this.subscriptions.get(id);
      if (subscription) {
        if (frame.error) subscription.onError?.(frame);
        else if (frame.result?.type === 'data') subscription.onData?.(frame, arrivedAt, text.length);
        return;
      }
      this.pending.get(id)?.resolve(frame);
      this.pending.delete(id);
    });
    socket.on('close', () => {
      this.closed = true;
      for (const { resolve } of this.pending.values()) resolve({ id: null, method: 'closed' });
      this.pending.clear();
    });
  }

  /**
   * Opens `<url>/trpc` with the session cookie; `record` keeps every frame for later inspection; `onText` gets
   * every frame's text unparsed instead (handlers are then not called): for a watcher that only counts.
   */
  static open(
    url: string,
    cookie: string,
    options: { record?: boolean; onText?: (text: string) => void } = {},
  ): Promise<TrpcSocket> {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/trpc`, { headers: { cookie } });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new TrpcSocket(socket, options.record ?? false, options.onText)));
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`WebSocket upgrade refused: ${res.statusCode}`)),
      );
    });
  }

  /** Sends anything, as is: for malformed messages. */
  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** A query or mutation; resolves with the answering frame (data or error), or `method: 'closed'`. */
  call(method: 'query' | 'mutation', path: string, input: unknown): Promise<TrpcFrame> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      this.socket.send(toJson({ id, method, params: { path, input: wireInput(input) } }));
    });
  }

  /** Starts a subscription; returns its id (to stop it). */
  subscribe(path: string, input: unknown, handlers: SubscriptionHandlers, lastEventId?: string): number {
    const id = this.nextId++;
    this.subscriptions.set(id, handlers);
    this.socket.send(
      toJson({
        id,
        method: 'subscription',
        params: { path, input: wireInput(input), ...(lastEventId ? { lastEventId } : {}) },
      }),
    );
    return id;
  }

  stop(id: number): void {
    this.subscriptions.delete(id);
    if (!this.closed) this.socket.send(JSON.stringify({ id, method: 'subscription.stop' }));
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

/** A tracked data frame's payload: tRPC wraps it as `{ id, data }` and superjson serializes the whole. */
export function trackedData<T>(frame: TrpcFrame): { id: string; data: T } {
  return superjson.deserialize(frame.result?.data as Parameters<typeof superjson.deserialize>[0]);
}
