import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { NOTE_VISIBILITIES } from '../../shared/enums';
import { Client } from '../clients/entity';
import { User } from '../users/entity';

export const Note = defineEntity({
  name: 'Note',
  properties: {
    id: p.integer().primary(),
    clientId: () => p.manyToOne(Client).mapToPk().fieldName('client_id').index(),
    authorId: () => p.manyToOne(User).mapToPk().fieldName('author_id').nullable(),
    body: p.text(),
    visibility: p.enum([...NOTE_VISIBILITIES]).default('private'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    // Set by an edit (not by the creation), so "edited" never depends on two clocks agreeing to the millisecond.
    editedAt: p.datetime().nullable(),
    deletedAt: p.datetime().nullable(),
  },
});
export type NoteEntity = InferEntity<typeof Note>;
