import type { DataTransformer } from '@trpc/server';
import { type Encoder, jsonEncoder } from '@trpc/server/adapters/ws';
import superjson, { type SuperJSONResult } from 'superjson';

/**
 * The app's tRPC transformer and WebSocket encoder: superjson and JSON, except for the frames of live events.
 * A save watched by a thousand subscribers is one event object shared by all their streams (events.ts); it is
 * serialized once, and each distinct frame (one event, or a batch of them, under its tracked id) is encoded to
 * JSON text once and spliced into every subscriber's message. Walking the same event into JSON a thousand times,
 * and the garbage of it, was most of a delivery's cost after the socket write itself.
 */

/** A value serialized on its own: its JSON and superjson's annotations by path (none for plain JSON). */
interface Serialized {
  /** Names the value in the frame cache's keys. */
  key: number;
  json: SuperJSONResult['json'];
  values: Record<string, unknown> | null;
  /** The JSON text, once asked for. */
  text?: string;
}

const shared = new WeakMap<object, Serialized | null>();
let nextKey = 1;

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
  const once = { key: nextKey++, json, values: values ?? null };
  shared.set(value, once);
  return once;
}

function textOf(part: Serialized): string {
  part.text ??= JSON.stringify(part.json);
  return part.text;
}

/**
 * The transformer's output for a frame of shared values: the JSON text superjson's output would have. Spliced
 * as it is by `wsEncoder`; any other writer gets the same JSON through `toJSON`, the slow way.
 */
export class PreEncoded {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** About how many bytes `value` takes in a frame (its JSON's length); measured once for a shared value. */
export function serializedBytes(value: object): number {
  const once = shared.has(value) ? serializedOnce(value) : null;
  return once ? textOf(once).length : JSON.stringify(superjson.serialize(value).json).length;
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

/** Frames encoded lately, by tracked id and the values they carry: the subscribers of one round share them. */
const frames = new Map<string, PreEncoded>();
const KEPT_FRAMES = 64;

/**
 * The frame last encoded for each frame object: the streams of one role at one position hand over the very same
 * frame (stream.ts), so most subscribers find theirs here without the key below being built.
 */
const framesByData = new WeakMap<object, { id: string; frame: PreEncoded }>();

function serializeShared(value: unknown): PreEncoded | null {
  if (!isTracked(value)) return null;
  const known = framesByData.get(value.data);
  if (known?.id === value.id) return known.frame;
  const found = sharedParts(value.data);
  if (!found) return null;
  const parts: Serialized[] = [];
  for (const part of found.parts) {
    const once = serializedOnce(part);
    if (!once) return null;
    parts.push(once);
  }
  const key = `${value.id}/${found.batch ? 'batch' : 'one'}/${parts.map((part) => part.key).join(',')}`;
  let frame = frames.get(key);
  if (!frame) {
    frame = new PreEncoded(encodeFrame(value.id, found.batch, parts));
    frames.set(key, frame);
    for (const oldest of frames.keys()) {
      if (frames.size <= KEPT_FRAMES) break;
      frames.delete(oldest);
    }
  }
  framesByData.set(value.data, { id: value.id, frame });
  return frame;
}

/** What JSON.stringify(superjson.serialize({ id, data })) gives, made from the parts' own texts. */
function encodeFrame(id: string, batch: boolean, parts: Serialized[]): string {
  const data = batch ? `{"kind":"batch","events":[${parts.map(textOf).join(',')}]}` : textOf(parts[0] as Serialized);
  const prefixOf = (index: number) => (batch ? `data.events.${index}.` : 'data.');
  const values: string[] = [];
  for (const [index, part] of parts.entries()) {
    for (const [path, annotation] of Object.entries(part.values ?? {}))
      values.push(`${JSON.stringify(`${prefixOf(index)}${path}`)}:${JSON.stringify(annotation)}`);
  }
  const json = `{"id":${JSON.stringify(id)},"data":${data}}`;
  return values.length > 0 ? `{"json":${json},"meta":{"values":{${values.join(',')}},"v":1}}` : `{"json":${json}}`;
}

/** Where a subscription's messages go on its WebSocket: its JSON-RPC id, as the client numbered it. */
export interface SubscriptionAddress {
  id: number | string;
  jsonrpc?: '2.0';
}

/** A frame that tells, once encoded into its message, which subscription it went to. */
class AddressedFrame extends PreEncoded {
  constructor(
    text: string,
    readonly addressed: (address: SubscriptionAddress) => void,
  ) {
    super(text);
  }
}

const addressees = new WeakMap<object, (address: SubscriptionAddress) => void>();

/**
 * Calls `addressed` with the subscription's address when `data`, yielded as a tracked value, is encoded into
 * its message: tRPC does not tell a procedure the id its client gave the subscription.
 */
export function tellAddress<T extends object>(data: T, addressed: (address: SubscriptionAddress) => void): T {
  addressees.set(data, addressed);
  return data;
}

function serialize(value: unknown): unknown {
  const addressed = isTracked(value) ? addressees.get(value.data) : undefined;
  if (addressed) return new AddressedFrame(JSON.stringify(superjson.serialize(value)), addressed);
  return serializeShared(value) ?? superjson.serialize(value);
}

export const transformer: DataTransformer = {
  serialize,
  deserialize: (value) => superjson.deserialize(value),
};

// Stands in for a pre-encoded frame while the message around it is encoded; no JSON text can contain it.
const SLOT = '\u2063kartoteka-pre-encoded\u2063';
const SLOT_JSON = JSON.stringify(SLOT);

/** tRPC's WebSocket encoder (JSON) that splices a pre-encoded frame into its message instead of walking it. */
export const wsEncoder: Encoder = {
  encode(message: unknown): string | Uint8Array<ArrayBuffer> {
    const result = (message as { result?: { data?: unknown } } | null)?.result;
    if (!(result?.data instanceof PreEncoded)) return jsonEncoder.encode(message);
    if (result.data instanceof AddressedFrame) {
      const { id, jsonrpc } = message as SubscriptionAddress;
      result.data.addressed({ id, jsonrpc });
    }
    const { text } = result.data;
    // A function, so that `$` in the frame's text is never read as a replacement pattern.
    return JSON.stringify({ ...(message as object), result: { ...result, data: SLOT } }).replace(SLOT_JSON, () => text);
  },
  decode: (data) => jsonEncoder.decode(data),
};

/** The messages made of each shared frame, by address: most subscribers' clients number the subscription alike. */
const messagesOf = new WeakMap<PreEncoded, Map<string, Buffer>>();
const ADDRESSES_KEPT_PER_FRAME = 16;

/**
 * The message tRPC's WebSocket adapter would send for `tracked(trackedId, data)` yielded by the subscription at
 * `address`, for a stream that writes to its socket itself (stream.ts). A shared frame's message is made once per
 * address, as bytes: the socket then neither measures nor encodes the text again for each subscriber.
 */
export function trackedMessage(address: SubscriptionAddress, trackedId: string, data: object): string | Buffer {
  const serialized = serialize({ id: trackedId, data });
  const message = () =>
    wsEncoder.encode({
      id: address.id,
      jsonrpc: address.jsonrpc,
      result: { type: 'data', data: serialized, id: trackedId },
    }) as string;
  if (!(serialized instanceof PreEncoded)) return message();
  let messages = messagesOf.get(serialized);
  if (!messages) {
    messages = new Map();
    messagesOf.set(serialized, messages);
  }
  const key = `${typeof address.id} ${address.id} ${address.jsonrpc ?? ''}`;
  let bytes = messages.get(key);
  if (!bytes) {
    bytes = Buffer.from(message());
    if (messages.size < ADDRESSES_KEPT_PER_FRAME) messages.set(key, bytes);
  }
  return bytes;
}
