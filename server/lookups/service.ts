import { type EntityName, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { Client } from '../clients/entity';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import {
  ClientCategory,
  type ClientCategoryEntity,
  ClientSubcategory,
  type ClientSubcategoryEntity,
  Contract,
  ContractType,
} from './entity';

interface Named {
  id: number;
  name: string;
}

/** The lookup lists with a user-facing noun, so errors read "Category "Retail" already exists". */
const NOUNS = new Map<unknown, string>([
  [ClientCategory, 'Category'],
  [ClientSubcategory, 'Sub-category'],
  [ContractType, 'Contract type'],
]);

async function flushNamed(em: EntityManager, entity: unknown, name: string): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw ValidationError.of('name', `${NOUNS.get(entity)} "${name}" already exists.`);
    }
    throw error;
  }
}

/**
 * A client's category and sub-category by id (null where the id is null or unknown), for checkClientReferences.
 * One after the other: inside a transaction both would go to its one connection anyway.
 */
export async function categoryPair(
  em: EntityManager,
  categoryId: number | null,
  subcategoryId: number | null,
): Promise<[ClientCategoryEntity | null, ClientSubcategoryEntity | null]> {
  const category = categoryId === null ? null : await em.findOne(ClientCategory, categoryId);
  const subcategory = subcategoryId === null ? null : await em.findOne(ClientSubcategory, subcategoryId);
  return [category, subcategory];
}

async function findOr404<T extends Named>(em: EntityManager, entity: EntityName<T>, id: number): Promise<T> {
  const found = await em.findOne(entity, { id } as never);
  if (!found) throw new NotFoundError(`${NOUNS.get(entity)} ${id} does not exist.`);
  return found as T;
}

export async function renameLookup<T extends Named>(
  em: EntityManager,
  entity: EntityName<T>,
  id: number,
  name: string,
): Promise<T> {
  const row = await findOr404(em, entity, id);
  row.name = name;
  await flushNamed(em, entity, name);
  return row;
}

/** Deletes a lookup entry unless something still uses it; `usage` counts the users and names them. */
async function deleteLookup<T extends Named>(
  em: EntityManager,
  entity: EntityName<T>,
  id: number,
  usage: (row: T) => Promise<string | null>,
): Promise<void> {
  const row = await findOr404(em, entity, id);
  const inUse = await usage(row);
  if (inUse)
    throw new ConflictError(`${NOUNS.get(entity)} "${row.name}" is still used by ${inUse}; change those first.`);
  em.remove(row);
  await em.flush();
}

function plural(count: number, noun: string): string | null {
  return count === 0 ? null : `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export const categories = {
  list: (em: EntityManager) => em.find(ClientCategory, {}, { orderBy: { name: 'asc' } }),
  async create(em: EntityManager, name: string) {
    const row = em.create(ClientCategory, { name });
    await flushNamed(em, ClientCategory, name);
    return row;
  },
  rename: (em: EntityManager, id: number, name: string) => renameLookup(em, ClientCategory, id, name),
  remove: (em: EntityManager, id: number) =>
    deleteLookup(em, ClientCategory, id, async (row) => {
      const clients = await em.count(Client, { categoryId: row.id, deletedAt: null });
      const subcategories = await em.count(ClientSubcategory, { categoryId: row.id });
      return [plural(clients, 'client'), plural(subcategories, 'sub-category')].filter(Boolean).join(' and ') || null;
    }),
};

export const subcategories = {
  list: (em: EntityManager, categoryId?: number) =>
    em.find(ClientSubcategory, categoryId ? { categoryId } : {}, { orderBy: { name: 'asc' } }),
  async create(em: EntityManager, categoryId: number, name: string) {
    await findOr404(em, ClientCategory, categoryId);
    const row = em.create(ClientSubcategory, { categoryId, name });
    await flushNamed(em, ClientSubcategory, name);
    return row;
  },
  rename: (em: EntityManager, id: number, name: string) => renameLookup(em, ClientSubcategory, id, name),
  remove: (em: EntityManager, id: number) =>
    deleteLookup(em, ClientSubcategory, id, async (row) =>
      plural(await em.count(Client, { subcategoryId: row.id, deletedAt: null }), 'client'),
    ),
};

export const contractTypes = {
  list: (em: EntityManager) => em.find(ContractType, {}, { orderBy: { name: 'asc' } }),
  async create(em: EntityManager, name: string) {
    const row = em.create(ContractType, { name });
    await flushNamed(em, ContractType, name);
    return row;
  },
  rename: (em: EntityManager, id: number, name: string) => renameLookup(em, ContractType, id, name),
  remove: (em: EntityManager, id: number) =>
    deleteLookup(em, ContractType, id, async (row) => plural(await em.count(Contract, { typeId: row.id }), 'contract')),
};
