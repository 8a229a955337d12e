import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { shareSerialization, transformer } from './transformer';

const event = () => ({
  kind: 'event',
  seq: 7,
  at: new Date('2026-11-29T08:00:00.000Z'),
  changes: { city: { before: 'Gdańsk', after: 'Łódź' }, 'odd.key': { before: null, after: new Date(0) } },
});

describe('the tRPC transformer', () => {
  it('serializes a shared event exactly as superjson does, for every subscriber', () => {
    const shared = shareSerialization(event());
    for (const id of ['7', '8']) {
      const sent = transformer.serialize({ id, data: shared });
      expect(sent).toEqual(superjson.serialize({ id, data: event() }));
      expect(transformer.deserialize(JSON.parse(JSON.stringify(sent)))).toEqual({ id, data: event() });
    }
  });

  it('serializes a shared event once, however many subscribers send it', () => {
    const shared = shareSerialization(event());
    const first = transformer.serialize({ id: '7', data: shared });
    const second = transformer.serialize({ id: '7', data: shared });
    expect(second.json.data).toBe(first.json.data);
  });

  it('serializes a batch of shared events as superjson does, each event once', () => {
    const events = [shareSerialization(event()), shareSerialization({ ...event(), seq: 8 })];
    const sent = transformer.serialize({ id: '8', data: { kind: 'batch', events } });
    expect(sent).toEqual(
      superjson.serialize({ id: '8', data: { kind: 'batch', events: [event(), { ...event(), seq: 8 }] } }),
    );
    expect(transformer.deserialize(JSON.parse(JSON.stringify(sent)))).toEqual({
      id: '8',
      data: { kind: 'batch', events },
    });
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
});
