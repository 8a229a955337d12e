import type { DataTransformer } from '@trpc/server';
import superjson, { type SuperJSONResult } from 'superjson';

/**
 * The app's tRPC transformer: superjson, except that a value shared by many subscribers (a live event every
 * staff stream sends: events.ts) is serialized once, not once per subscriber. A save watched by a thousand
 * subscribers used to walk the same event a thousand times, the biggest cost of a delivery after the socket.
 */
const shared = new WeakMap<object, SuperJSONResult | null>();

/** Marks `value` as sent to many subscribers unchanged. It must never change afterwards. */
export function shareSerialization<T extends object>(value: T): T {
  shared.set(value, null);
  return value;
}

/** What tRPC serializes for a `tracked(id, data)` yield over the WebSocket. */
interface TrackedData {
  id: string;
  data: object;
}

function isTrackedShared(value: unknown): value is TrackedData {
  if (typeof value !== 'object' || value === null) return false;
  const { id, data } = value as Partial<TrackedData>;
  return typeof id === 'string' && typeof data === 'object' && data !== null && shared.has(data);
}

/** `data` serialized as superjson would serialize it under the key "data"; null when that is not simple. */
function serializedAsData(data: object): SuperJSONResult | null {
  const own = superjson.serialize(data);
  const { values, referentialEqualities, ...rest } = own.meta ?? {};
  // Paths to prefix in repeated references and a root annotation are rare and not worth the code: plain superjson.
  if (referentialEqualities || Array.isArray(values)) return null;
  if (!values) return { json: own.json };
  const prefixed = Object.fromEntries(Object.entries(values).map(([path, annotation]) => [`data.${path}`, annotation]));
  return { json: own.json, meta: { ...rest, values: prefixed } };
}

export const transformer: DataTransformer = {
  serialize(value: unknown) {
    if (!isTrackedShared(value)) return superjson.serialize(value);
    let once = shared.get(value.data) ?? null;
    if (!once) {
      once = serializedAsData(value.data);
      if (!once) return superjson.serialize(value);
      shared.set(value.data, once);
    }
    return { json: { id: value.id, data: once.json }, ...(once.meta ? { meta: once.meta } : {}) };
  },
  deserialize: (value) => superjson.deserialize(value),
};
