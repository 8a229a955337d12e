import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { CLIENT_STATUSES, GENDERS, SALUTATIONS } from '../../shared/enums';
import { ClientCategory, ClientSubcategory } from '../lookups/entity';
import { User } from '../users/entity';

export const Client = defineEntity({
  name: 'Client',
  properties: {
    id: p.integer().primary(),
    salutation: p.enum([...SALUTATIONS]).nullable(),
    name: p.string().length(200),
    email: p.string().length(254).nullable().index(),
    country: p.string().length(2).nullable().index(),
    mobile: p.string().length(40).nullable(),
    gender: p.enum([...GENDERS]).nullable(),
    language: p.string().length(8).nullable(),
    categoryId: () => p.manyToOne(ClientCategory).mapToPk().fieldName('category_id').nullable().index(),
    subcategoryId: () => p.manyToOne(ClientSubcategory).mapToPk().fieldName('subcategory_id').nullable().index(),
    status: p
      .enum([...CLIENT_STATUSES])
      .default('active')
      .index(),
    companyName: p.string().length(200).nullable().index(),
    website: p.string().length(500).nullable(),
    taxName: p.string().length(40).nullable(),
    taxNumber: p.string().length(40).nullable().index(),
    officePhone: p.string().length(40).nullable(),
    city: p.string().length(120).nullable(),
    state: p.string().length(120).nullable(),
    postalCode: p.string().length(20).nullable(),
    companyAddress: p.text().nullable(),
    shippingAddress: p.text().nullable(),
    electronicAddress: p.string().length(200).nullable(),
    electronicAddressScheme: p.string().length(4).nullable(),
    loginAllowed: p.boolean().default(false),
    emailNotifications: p.boolean().default(true),
    // Plain ids rather than foreign keys: a stored file belongs to its client, and a key each way would be a cycle.
    photoFileId: p.integer().nullable(),
    logoFileId: p.integer().nullable(),
    // Folded (lower case, no accents) copies for accent-insensitive search and sort; written by the service.
    searchText: p.text().index(),
    sortName: p.string().length(200).index(),
    createdAt: p
      .datetime()
      .onCreate(() => new Date())
      .index(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    addedById: () => p.manyToOne(User).mapToPk().fieldName('added_by_id').nullable(),
    version: p.integer().version(),
    deletedAt: p.datetime().nullable().index(),
  },
});
export type ClientEntity = InferEntity<typeof Client>;
