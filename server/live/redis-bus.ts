import { log } from '../ops/log';
import { type Bus, InProcessBus } from './bus';
import type { RedisLink } from './redis';

const CHANNEL = 'bus';

/**
 * The bus across instances: a new seq wakes this instance's subscribers at once and is broadcast over Redis to
 * the others. While Redis is unreachable each instance still wakes its own subscribers; when the connection
 * comes back, it wakes them with the log's newest seq (`latestSeq`) and tells the others the same, so every
 * subscriber reads from the log whatever it did not hear about meanwhile.
 */
export class RedisBus implements Bus {
  private readonly local = new InProcessBus();

  private constructor(
    private readonly link: RedisLink,
    private readonly stopListening: () => void,
    private readonly stopReconnect: () => void,
  ) {}

  static async create(link: RedisLink, latestSeq: () => Promise<number>): Promise<RedisBus> {
    let bus: RedisBus | undefined;
    const stopListening = await link.listen(CHANNEL, (payload) => {
      const seq = Number(payload);
      if (Number.isSafeInteger(seq) && seq > 0) bus?.local.publish(seq);
    });
    const stopReconnect = link.onReconnect(() => {
      latestSeq().then(
        (seq) => {
          if (seq > 0) bus?.publish(seq);
        },
        // The next write's seq wakes everyone anyway; until then, say why this catch-up failed.
        (error: unknown) => log.warn({ err: error }, 'Could not read the newest seq after Redis came back'),
      );
    });
    bus = new RedisBus(link, stopListening, stopReconnect);
    return bus;
  }

  publish(seq: number): void {
    this.local.publish(seq);
    this.link.broadcast(CHANNEL, String(seq));
  }

  subscribe(listener: (seq: number) => void): () => void {
    return this.local.subscribe(listener);
  }

  /** Stops hearing the others; the link itself belongs to the app, which closes it. */
  async close(): Promise<void> {
    this.stopListening();
    this.stopReconnect();
    await this.local.close();
  }
}
