import type { DataTransformer } from '@trpc/server';
import superjson, { type SuperJSONResult } from 'superjson';

/**
 * The app's tRPC transformer: superjson, except that a value shared by many subscribers (a live event every
 * staff stream sends: events.ts) is serialized once, not once per subscriber, also inside a batch of them.
 * A save watched by a thousand subscribers used to walk the same event a thousand times, the biggest cost of a
 * delivery after the socket.
 */

/** A value serialized on its own: its JSON and superjson's annotations by path (none for plain JSON). */
interface Serialized {
  json: SuperJSONResult['json'];
  values: Record<string, unknown> | null;
  /** The JSON's length, once asked for. */
  bytes?: number;
}

const shared = new WeakMap<object, Serialized | null>();

/** Marks `value` as sent to many subscribers unchanged. It must never change afterwards. */
export function shareSerialization<T extends object>(value: T): T {
  shared.set(value, null);
  return value;
}

/** `value`'s serialization, made once; null when it is not simple enough to put inside another (rare: plain superjson). */
function serializedOnce(value: object): Serialized | null {
  const cached = shared.get(value);
  if (cached) return cached;
  const { json, meta } = superjson.serialize(value);
  const { values, referentialEqualities } = meta ?? {};
  if (referentialEqualities || Array.isArray(values)) return null;
  const once = { json, values: values ?? null };
  shared.set(value, once);
  return once;
}

/** About how many bytes `value` takes in a frame (its JSON's length); measured once for a shared value. */
export function serializedBytes(value: object): number {
  const once = shared.has(value) ? serializedOnce(value) : null;
  if (once) {
    once.bytes ??= JSON.stringify(once.json).length;
    return once.bytes;
  }
  return JSON.stringify(superjson.serialize(value).json).length;
}

/** What tRPC serializes for a `tracked(id, data)` yield over the WebSocket. */
interface TrackedData {
  id: string;
  data: object;
}

function isTracked(value: unknown): value is TrackedData {
  if (typeof value !== 'object' || value === null) return false;
  const { id, data } = value as Partial<TrackedData>;
  return typeof id === 'string' && typeof data === 'object' && data !== null;
}

/** The shared values a tracked value's data is made of: itself, or the events of a batch; null when it is not. */
function sharedParts(data: object): { batch: boolean; parts: object[] } | null {
  if (shared.has(data)) return { batch: false, parts: [data] };
  const { kind, events } = data as { kind?: unknown; events?: unknown };
  const keys = Object.keys(data);
  if (kind !== 'batch' || !Array.isArray(events) || keys.length !== 2) return null;
  return events.every((event) => typeof event === 'object' && event !== null && shared.has(event))
    ? { batch: true, parts: events }
    : null;
}

function serializeShared(value: unknown): SuperJSONResult | null {
  if (!isTracked(value)) return null;
  const found = sharedParts(value.data);
  if (!found) return null;
  const parts: Serialized[] = [];
  for (const part of found.parts) {
    const once = serializedOnce(part);
    if (!once) return null;
    parts.push(once);
  }
  const prefixOf = (index: number) => (found.batch ? `data.events.${index}.` : 'data.');
  const values: Record<string, unknown> = {};
  for (const [index, part] of parts.entries()) {
    for (const [path, annotation] of Object.entries(part.values ?? {}))
      values[`${prefixOf(index)}${path}`] = annotation;
  }
  const data = found.batch ? { kind: 'batch', events: parts.map((part) => part.json) } : parts[0]?.json;
  const json = { id: value.id, data } as SuperJSONResult['json'];
  return Object.keys(values).length > 0 ? { json, meta: { values, v: 1 } as SuperJSONResult['meta'] } : { json };
}

export const transformer: DataTransformer = {
  serialize: (value: unknown) => serializeShared(value) ?? superjson.serialize(value),
  deserialize: (value) => superjson.deserialize(value),
};
