import type { TrpcFrame } from '../../server/load/trpc-socket';
import { eventsIn } from '../../shared/live';

/** A live event as its frame's raw JSON has it (superjson puts plain values under `json`). */
export interface RawEvent {
  kind: 'event';
  changes?: Record<string, { after?: unknown }>;
}

type RawMessage = RawEvent | { kind: 'batch'; events: RawEvent[] } | { kind: 'head' };

/** The events a live.events frame carries (a batch holds several), none for the head marker; read without superjson. */
export function eventsOfFrame(frame: TrpcFrame): RawEvent[] {
  const message = (frame.result?.data as { json?: { data?: RawMessage } } | undefined)?.json?.data;
  return message ? eventsIn(message) : [];
}

/** True for the head marker. */
export function isHead(frame: TrpcFrame): boolean {
  return (frame.result?.data as { json?: { data?: RawMessage } } | undefined)?.json?.data?.kind === 'head';
}
