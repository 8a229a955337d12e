import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { PreEncoded, shareSerialization, tellAddress, trackedMessage, transformer, wsEncoder } from './transformer';

const event = () => ({
  kind: 'event',
  seq: 7,
  at: new Date('2026-11-29T08:00:00.000Z'),
  changes: { city: { before: 'Gdańsk', after: 'Łódź' }, 'odd.key': { before: null, after: new Date(0) } },
});

describe('the tRPC transformer', () => {
  /** What a subscriber's message carries, as its tRPC client reads it. */
  const wire = (sent: unknown) =>
    JSON.parse(wsEncoder.encode({ id: 3, result: { type: 'data', data: sent } }) as string);

  it('serializes a shared event exactly as superjson does, for every subscriber', () => {
    const shared = shareSerialization(event());
    for (const id of ['7', '8']) {
      const sent = transformer.serialize({ id, data: shared });
      expect(wire(sent)).toEqual({ id: 3, result: { type: 'data', data: superjson.serialize({ id, data: event() }) } });
      expect(transformer.deserialize(wire(sent).result.data)).toEqual({ id, data: event() });
      // Any writer other than the WebSocket encoder still gets the same JSON.
      expect(JSON.parse(JSON.stringify(sent))).toEqual(superjson.serialize({ id, data: event() }));
    }
  });

  it('encodes a frame once, however many subscribers send it', () => {
    const shared = shareSerialization(event());
    const first = transformer.serialize({ id: '7', data: shared });
    expect(first).toBeInstanceOf(PreEncoded);
    expect(transformer.serialize({ id: '7', data: shared })).toBe(first);
    expect(transformer.serialize({ id: '8', data: shared })).not.toBe(first);
  });

  it('serializes a batch of shared events as superjson does, each event once', () => {
    const events = [shareSerialization(event()), shareSerialization({ ...event(), seq: 8 })];
    const sent = transformer.serialize({ id: '8', data: { kind: 'batch', events } });
    expect(wire(sent).result.data).toEqual(
      superjson.serialize({ id: '8', data: { kind: 'batch', events: [event(), { ...event(), seq: 8 }] } }),
    );
    expect(transformer.deserialize(wire(sent).result.data)).toEqual({
      id: '8',
      data: { kind: 'batch', events },
    });
    // The same events in another order, or fewer of them, are another frame.
    const reversed = transformer.serialize({ id: '8', data: { kind: 'batch', events: [...events].reverse() } });
    expect(reversed).not.toBe(sent);
    expect(wire(reversed).result.data.json.data.events.map((e: { seq: number }) => e.seq)).toEqual([8, 7]);
    // A batch with an event of a subscriber's own (a portal user's cut-down copy) is left to superjson whole.
    const mixed = { id: '8', data: { kind: 'batch', events: [events[0], event()] } };
    expect(transformer.serialize(mixed)).toEqual(superjson.serialize(mixed));
  });

  it('leaves everything else to superjson, including values that repeat an object', () => {
    const changes = { city: { before: 'A', after: 'B' } };
    const repeated = shareSerialization({ kind: 'event', at: new Date(1), changes, again: changes });
    expect(transformer.serialize({ id: '1', data: repeated })).toEqual(
      superjson.serialize({ id: '1', data: repeated }),
    );
    const plain = { id: '1', data: event() };
    expect(transformer.serialize(plain)).toEqual(superjson.serialize(plain));
    expect(transformer.serialize(new Date(5))).toEqual(superjson.serialize(new Date(5)));
  });

  it('splices a frame whose text holds dollar signs and quotes as it is', () => {
    const tricky = shareSerialization({ ...event(), changes: { city: { before: '$&$1"\\', after: '$$`' } } });
    const sent = transformer.serialize({ id: '9', data: tricky });
    expect(transformer.deserialize(wire(sent).result.data)).toEqual({ id: '9', data: tricky });
  });

  /** What tRPC's WebSocket adapter sends for a value yielded by subscription `id` (its respond()). */
  const sentByTrpc = (id: number | string, jsonrpc: '2.0' | undefined, trackedId: string, data: object) =>
    wsEncoder.encode({
      id,
      jsonrpc,
      result: { type: 'data', data: transformer.serialize({ id: trackedId, data }), id: trackedId },
    }) as string;

  it('tells a stream its subscription id when its marked value is sent, and sends the value all the same', () => {
    const told: unknown[] = [];
    const head = tellAddress({ kind: 'head', seq: 41 }, (address) => told.push(address));
    const text = sentByTrpc('sub-7', '2.0', '41', head);
    expect(told).toEqual([{ id: 'sub-7', jsonrpc: '2.0' }]);
    expect(JSON.parse(text)).toEqual({
      id: 'sub-7',
      jsonrpc: '2.0',
      result: { type: 'data', id: '41', data: superjson.serialize({ id: '41', data: { kind: 'head', seq: 41 } }) },
    });
  });

  it('writes a live frame exactly as tRPC would have sent it, for one event and for a batch', () => {
    const shared = shareSerialization(event());
    const batch = { kind: 'batch', events: [shared, shareSerialization({ ...event(), seq: 8 })] };
    for (const [trackedId, data] of [
      ['7', shared],
      ['8', batch],
    ] as const) {
      for (const address of [{ id: 12 }, { id: 'x', jsonrpc: '2.0' as const }]) {
        const direct = String(trackedMessage(address, trackedId, data));
        expect(JSON.parse(direct)).toEqual(JSON.parse(sentByTrpc(address.id, address.jsonrpc, trackedId, data)));
        expect(transformer.deserialize(JSON.parse(direct).result.data)).toEqual({ id: trackedId, data });
      }
    }
  });

  it('makes a shared frame’s message once per subscription id, and each id its own', () => {
    const shared = shareSerialization({ ...event(), seq: 30 });
    const first = trackedMessage({ id: 1 }, '30', shared);
    expect(trackedMessage({ id: 1 }, '30', shared)).toBe(first);
    const other = trackedMessage({ id: '1' }, '30', shared);
    expect(other).not.toBe(first);
    expect(JSON.parse(String(other)).id).toBe('1');
    expect(JSON.parse(String(trackedMessage({ id: 2, jsonrpc: '2.0' }, '30', shared)))).toMatchObject({
      id: 2,
      jsonrpc: '2.0',
    });
    // A frame not shared (a portal user's own copy of an event) is made for its subscriber alone.
    const own = { ...event(), seq: 30 };
    expect(first).toBeInstanceOf(Buffer);
    expect(typeof trackedMessage({ id: 1 }, '30', own)).toBe('string');
    expect(JSON.parse(String(trackedMessage({ id: 1 }, '30', own)))).toEqual(JSON.parse(String(first)));
  });
});
