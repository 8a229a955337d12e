import { MemoryPresenceStore } from '../presence/memory-store';
import { Presence } from '../presence/service';
import type { PresenceStore } from '../presence/store';
import type { Bus } from './bus';
import { LogReader } from './log-reader';
import { StreamRegistry, type StreamSettings } from './stream';
import type { SubscriberLimits } from './subscriber';

/** The knobs of everything live; tests turn them down to see limits and expiry within a second. */
export interface RealtimeSettings extends StreamSettings, SubscriberLimits {
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
};

/** The live services of one app, created at start-up and reaching procedures through the context. */
export interface Realtime {
  bus: Bus;
  /** Reads the event log for every stream, one read for all those at the same position. */
  log: LogReader;
  streams: StreamRegistry;
  presence: Presence;
  settings: RealtimeSettings;
  close(): Promise<void>;
}

/** `store` is the presence store: one in memory unless the app shares one with other instances (Redis). */
export function createRealtime(bus: Bus, overrides: Partial<RealtimeSettings> = {}, store?: PresenceStore): Realtime {
  const settings = { ...DEFAULT_REALTIME_SETTINGS, ...overrides };
  const presenceStore = store ?? new MemoryPresenceStore(settings.presenceTtlMs);
  return {
    bus,
    log: new LogReader(bus),
    streams: new StreamRegistry(),
    presence: new Presence(presenceStore, {
      coalesceMs: settings.presenceCoalesceMs,
      sessionCheckMs: settings.sessionCheckMs,
    }),
    settings,
    async close() {
      await presenceStore.close();
      await bus.close();
    },
  };
}
