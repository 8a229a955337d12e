import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { SavedViewSettings } from '../../shared/saved-views';
import { User } from '../users/entity';

/** A named list view (search, filters, sort, page size, columns) a user saved, for themself or for the team. */
export const SavedView = defineEntity({
  name: 'SavedView',
  uniques: [{ properties: ['ownerId', 'name'] }],
  properties: {
    id: p.integer().primary(),
    ownerId: () => p.manyToOne(User).mapToPk().fieldName('owner_id').deleteRule('cascade'),
    name: p.string().length(100),
    shared: p.boolean().default(false).index(),
    settings: p.json<SavedViewSettings>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type SavedViewEntity = InferEntity<typeof SavedView>;
