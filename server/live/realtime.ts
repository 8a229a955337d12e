import { MemoryPresenceStore } from '../presence/memory-store';
import { Presence } from '../presence/service';
import type { PresenceStore } from '../presence/store';
import type { Bus } from './bus';
import { LogReader } from './log-reader';
import { StreamRegistry, type StreamSettings } from './stream';
import type { SubscriberLimits } from './subscriber';
import { type WakeRoundSettings, WakeRounds } from './wake-rounds';

/** The knobs of everything live; tests turn them down to see limits and expiry within a second. */
export interface RealtimeSettings extends StreamSettings, SubscriberLimits, WakeRoundSettings {
  /** A presence entry is dropped this long after its tab's last heartbeat (browsers beat every ~10 s). */
  presenceTtlMs: number;
  presenceCoalesceMs: number;
}

export const DEFAULT_REALTIME_SETTINGS: RealtimeSettings = {
  pageSize: 200,
  sessionCheckMs: 30_000,
  frameBytes: 256 * 1024,
  highWaterBytes: 1024 * 1024,
  stallMs: 15_000,
  presenceTtlMs: 30_000,
  presenceCoalesceMs: 200,
  roundGapFactor: 3,
  maxRoundGapMs: 50,
  maxRoundMs: 100,
};

/** The live services of one app, created at start-up and reaching procedures through the context. */
export interface Realtime {
  bus: Bus;
  /** Reads the event log for every stream, one read for all those at the same position. */
  log: LogReader;
  /** Wakes the event streams on each save, in rounds when saves pour in. */
  wakes: WakeRounds;
  streams: StreamRegistry;
  presence: Presence;
  settings: RealtimeSettings;
  close(): Promise<void>;
}

/** `store` is the presence store: one in memory unless the app shares one with other instances (Redis). */
export function createRealtime(bus: Bus, overrides: Partial<RealtimeSettings> = {}, store?: PresenceStore): Realtime {
  const settings = { ...DEFAULT_REALTIME_SETTINGS, ...overrides };
  const presenceStore = store ?? new MemoryPresenceStore(settings.presenceTtlMs);
  // The reader first: it must hear each seq before any stream wakes to read it.
  const log = new LogReader(bus);
  const wakes = new WakeRounds(bus, settings);
  return {
    bus,
    log,
    wakes,
    streams: new StreamRegistry(),
    presence: new Presence(presenceStore, {
      coalesceMs: settings.presenceCoalesceMs,
      sessionCheckMs: settings.sessionCheckMs,
    }),
    settings,
    async close() {
      wakes.close();
      await presenceStore.close();
      await bus.close();
    },
  };
}
