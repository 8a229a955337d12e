import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Client } from '../clients/entity';

export const ClientCategory = defineEntity({
  name: 'ClientCategory',
  properties: {
    id: p.integer().primary(),
    name: p.string().length(100).unique(),
  },
});
export type ClientCategoryEntity = InferEntity<typeof ClientCategory>;

export const ClientSubcategory = defineEntity({
  name: 'ClientSubcategory',
  uniques: [{ properties: ['categoryId', 'name'] }],
  properties: {
    id: p.integer().primary(),
    categoryId: () => p.manyToOne(ClientCategory).mapToPk().fieldName('category_id').index(),
    name: p.string().length(100),
  },
});
export type ClientSubcategoryEntity = InferEntity<typeof ClientSubcategory>;

export const Project = defineEntity({
  name: 'Project',
  properties: {
    id: p.integer().primary(),
    clientId: () => p.manyToOne(Client).mapToPk().fieldName('client_id').index(),
    name: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ProjectEntity = InferEntity<typeof Project>;

export const ContractType = defineEntity({
  name: 'ContractType',
  properties: {
    id: p.integer().primary(),
    name: p.string().length(100).unique(),
  },
});
export type ContractTypeEntity = InferEntity<typeof ContractType>;

export const Contract = defineEntity({
  name: 'Contract',
  // The list's contract-type filter reads its clients' ids from this index alone.
  indexes: [{ name: 'contract_type_client', properties: ['typeId', 'clientId'] }],
  properties: {
    id: p.integer().primary(),
    clientId: () => p.manyToOne(Client).mapToPk().fieldName('client_id').index(),
    typeId: () => p.manyToOne(ContractType).mapToPk().fieldName('type_id'),
    subject: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ContractEntity = InferEntity<typeof Contract>;
