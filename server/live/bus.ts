import { EventEmitter } from 'node:events';

/**
 * Wakes subscribers when the event log grows. It carries only the newest seq, never the events:
 * subscribers read those from the log, so a missed wake-up can never lose data.
 */
export interface Bus {
  publish(seq: number): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: (seq: number) => void): () => void;
  close(): Promise<void>;
}

/** The embedded bus: one process, no network. */
export class InProcessBus implements Bus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(seq: number): void {
    this.emitter.emit('seq', seq);
  }

  subscribe(listener: (seq: number) => void): () => void {
    this.emitter.on('seq', listener);
    return () => this.emitter.off('seq', listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
