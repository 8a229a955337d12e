import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { CLIENT_STATUSES, GENDERS, SALUTATIONS } from '../../shared/enums';
import { ClientCategory, ClientSubcategory } from '../lookups/entity';
import { User } from '../users/entity';

/**
 * Every list query asks for live clients (`deleted_at is null`) in some order: the client_list_* indexes start
 * with deleted_at and follow with the sort's keys exactly as server/clients/search.ts orders them, so a page,
 * even a deep one, is read straight off an index. Empty values sort last ascending on both databases through
 * the `(column is null)` key (the same SQL on SQLite and PostgreSQL). The filter indexes (category,
 * sub-category, country) hold deleted_at and created_at too, so a filter's total is counted in the index alone
 * and its newest clients come straight off it. The search indexes are not here: see search.ts.
 * A filter that gives ids (a search, a contract type, a project) checks its matches against the other filters,
 * and sorts them by name or date, in client_live_by_id: the list's columns of every client, a few dozen bytes
 * each, read instead of the wide rows (at 100,000 clients, half the time of such a page).
 */
export const Client = defineEntity({
  name: 'Client',
  indexes: [
    { name: 'client_list_created_at', properties: ['deletedAt', 'createdAt'] },
    {
      name: 'client_live_by_id',
      properties: ['id', 'deletedAt', 'status', 'categoryId', 'subcategoryId', 'country', 'createdAt', 'sortName'],
    },
    { name: 'client_category_list', properties: ['categoryId', 'deletedAt', 'createdAt'] },
    { name: 'client_subcategory_list', properties: ['subcategoryId', 'deletedAt', 'createdAt'] },
    { name: 'client_country_list', properties: ['country', 'deletedAt', 'createdAt'] },
    { name: 'client_list_name', properties: ['deletedAt', 'sortName'] },
    { name: 'client_list_status', properties: ['deletedAt', 'status'] },
    {
      name: 'client_list_email',
      expression: 'create index client_list_email on client (deleted_at, (email is null), email)',
    },
    {
      name: 'client_list_company_name',
      expression: 'create index client_list_company_name on client (deleted_at, (company_name is null), company_name)',
    },
    {
      name: 'client_list_country',
      expression: 'create index client_list_country on client (deleted_at, (country is null), country)',
    },
  ],
  properties: {
    id: p.integer().primary(),
    salutation: p.enum([...SALUTATIONS]).nullable(),
    name: p.string().length(200),
    email: p.string().length(254).nullable().index(),
    country: p.string().length(2).nullable(),
    mobile: p.string().length(40).nullable(),
    gender: p.enum([...GENDERS]).nullable(),
    language: p.string().length(8).nullable(),
    categoryId: () => p.manyToOne(ClientCategory).mapToPk().fieldName('category_id').nullable(),
    subcategoryId: () => p.manyToOne(ClientSubcategory).mapToPk().fieldName('subcategory_id').nullable(),
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
    searchText: p.text(),
    sortName: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    addedById: () => p.manyToOne(User).mapToPk().fieldName('added_by_id').nullable(),
    version: p.integer().version(),
    deletedAt: p.datetime().nullable(),
  },
});
export type ClientEntity = InferEntity<typeof Client>;
