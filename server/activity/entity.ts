import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** One field's value before and after a change. */
export interface FieldChange {
  before: unknown;
  after: unknown;
}

/**
 * The event log: the single source of truth for live updates, card history and the status feed.
 * `seq` only grows; ids are plain numbers so the log outlives whatever it describes.
 */
export const ClientEvent = defineEntity({
  name: 'ClientEvent',
  properties: {
    seq: p.integer().primary(),
    clientId: p.integer().index(),
    type: p.string().length(40).index(),
    actorId: p.integer().nullable(),
    actorName: p.string().length(200),
    changes: p.json<Record<string, FieldChange>>(),
    at: p.datetime().onCreate(() => new Date()),
  },
});
export type ClientEventEntity = InferEntity<typeof ClientEvent>;
