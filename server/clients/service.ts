import { OptimisticLockError, QueryOrder } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { EDITABLE_CLIENT_FIELDS, type EditableClientField } from '../../shared/client-fields';
import {
  type ClientChanges,
  type ClientListQuery,
  type ClientRecord,
  type ClientRecordInput,
  checkClientReferences,
  clientRecordSchema,
} from '../../shared/client-schema';
import type { ClientStatus } from '../../shared/enums';
import { fieldErrorsFrom } from '../../shared/field-errors';
import { foldForSearch } from '../../shared/fold';
import { can } from '../../shared/permissions';
import { ClientEvent, type FieldChange } from '../activity/entity';
import { type RecordEvent, writeWithEvents } from '../activity/write-path';
import type { Actor } from '../auth/actor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { ClientCategory, ClientSubcategory, Contract, Project } from '../lookups/entity';
import { User } from '../users/entity';
import { type ClientDto, type ClientListItem, recordOf, toClientDto } from './dto';
import { Client, type ClientEntity } from './entity';

/** Validates a whole record with the shared rules, then the rules that need the database. */
async function validateRecord(em: EntityManager, input: unknown, selfId?: number): Promise<ClientRecord> {
  const parsed = clientRecordSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error.issues));
  const record = parsed.data;
  const [category, subcategory] = await Promise.all([
    record.categoryId === null ? null : em.findOne(ClientCategory, record.categoryId),
    record.subcategoryId === null ? null : em.findOne(ClientSubcategory, record.subcategoryId),
  ]);
  const issues = checkClientReferences(record, category, subcategory);
  if (record.email !== null) {
    const other = await em.findOne(Client, {
      email: record.email,
      deletedAt: null,
      ...(selfId ? { id: { $ne: selfId } } : {}),
    });
    if (other) {
      issues.push({
        path: ['email'],
        message: `E-mail ${record.email} is already used by client "${other.name}" (#${other.id}).`,
      });
    }
  }
  if (issues.length > 0) throw new ValidationError(fieldErrorsFrom(issues));
  return record;
}

function searchColumns(record: ClientRecord): { searchText: string; sortName: string } {
  return {
    searchText: foldForSearch(
      [record.name, record.email, record.companyName, record.taxNumber].filter(Boolean).join(' | '),
    ),
    sortName: foldForSearch(record.name).slice(0, 200),
  };
}

async function addedByOf(em: EntityManager, client: ClientEntity): Promise<{ id: number; name: string } | null> {
  if (!client.addedById) return null;
  const user = await em.findOne(User, client.addedById, { fields: ['id', 'name'] });
  return user ? { id: user.id, name: user.name } : null;
}

/** Portal users may only ever touch their own card; staff go by the role table checked in the router. */
function assertMayAccess(actor: Actor, clientId: number): void {
  if (actor.role === 'client' && actor.clientId !== clientId)
    throw new NotFoundError(`Client ${clientId} does not exist.`);
}

export async function getClient(em: EntityManager, actor: Actor, id: number): Promise<ClientDto> {
  assertMayAccess(actor, id);
  const client = await em.findOne(Client, id);
  if (!client || (client.deletedAt && actor.role === 'client')) throw new NotFoundError(`Client ${id} does not exist.`);
  return toClientDto(client, await addedByOf(em, client));
}

/** Portal access is the administrators' decision (shared/permissions.ts); the form hides the switch, the API refuses. */
function assertMaySetPortalAccess(actor: Actor, before: boolean, after: boolean): void {
  if (before !== after && !can(actor.role, 'clients.portalAccess')) {
    throw new ForbiddenError('Only an administrator may change whether a client may sign in (Login allowed).');
  }
}

export async function createClient(em: EntityManager, actor: Actor, input: ClientRecordInput): Promise<ClientDto> {
  const record = await validateRecord(em, input);
  assertMaySetPortalAccess(actor, false, record.loginAllowed);
  const client = await writeWithEvents(em, actor, async (tx, record_) => {
    const created = tx.create(Client, {
      ...record,
      ...searchColumns(record),
      addedById: actor.id || null,
    });
    const changes: Record<string, FieldChange> = {};
    for (const field of EDITABLE_CLIENT_FIELDS) {
      if (record[field] !== null) changes[field] = { before: null, after: record[field] };
    }
    record_({ clientId: () => created.id, type: 'client.created', changes });
    return created;
  });
  return toClientDto(client, actor.id ? { id: actor.id, name: actor.name } : null);
}

export interface FieldConflict {
  field: EditableClientField;
  /** What the editor started from. */
  base: unknown;
  /** What the editor wanted. */
  yours: unknown;
  /** What is stored now. */
  theirs: unknown;
  /** Who stored it, from the event log. */
  by: string | null;
}

function sameValue(a: unknown, b: unknown): boolean {
  const norm = (value: unknown) => (value === undefined || value === '' ? null : value);
  const left = norm(a);
  const right = norm(b);
  if (left === right) return true;
  if (left === null || right === null) return false;
  return String(left) === String(right);
}

async function lastChangers(
  em: EntityManager,
  clientId: number,
  fields: EditableClientField[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (fields.length === 0) return found;
  const events = await em.find(ClientEvent, { clientId }, { orderBy: { seq: 'desc' }, limit: 200 });
  for (const event of events) {
    for (const field of fields) {
      if (!found.has(field) && event.changes[field]) found.set(field, event.actorName);
    }
  }
  return found;
}

const MAX_ATTEMPTS = 5;

/**
 * Applies a per-field merge: a field whose stored value still equals the editor's base takes the new value;
 * one that already holds the new value needs nothing; any other is a conflict, returned with the stored value
 * and who stored it. Status is last-writer-wins. The version column catches a write racing between our read
 * and our flush; then the whole merge runs again on fresh data.
 */
export async function updateClient(
  em: EntityManager,
  actor: Actor,
  id: number,
  changes: ClientChanges,
): Promise<{ client: ClientDto; conflicts: FieldConflict[] }> {
  assertMayAccess(actor, id);
  for (let attempt = 1; ; attempt++) {
    const fork = em.fork();
    try {
      return await mergeOnce(fork, actor, id, changes);
    } catch (error) {
      if (!(error instanceof OptimisticLockError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function mergeOnce(
  em: EntityManager,
  actor: Actor,
  id: number,
  changes: ClientChanges,
): Promise<{ client: ClientDto; conflicts: FieldConflict[] }> {
  const client = await em.findOne(Client, id);
  if (!client) throw new NotFoundError(`Client ${id} does not exist.`);
  if (client.deletedAt) throw new ConflictError(`Client "${client.name}" was deleted; restore it before editing.`);
  const stored = recordOf(client);
  const requested = Object.entries(changes).filter(([, change]) => change !== undefined) as [
    EditableClientField,
    { base: unknown; value: unknown },
  ][];
  if (actor.role === 'client' && requested.some(([field]) => !PORTAL_EDITABLE.has(field))) {
    throw new ForbiddenError('A client may only change its contact, address and e-invoicing details.');
  }

  // Normalize every requested value with the full rules first, so "already equal" compares like with like.
  const wanted = await validateRecord(
    em,
    { ...stored, ...Object.fromEntries(requested.map(([f, c]) => [f, c.value])) },
    id,
  );
  assertMaySetPortalAccess(actor, stored.loginAllowed, wanted.loginAllowed);
  const apply: Partial<Record<EditableClientField, unknown>> = {};
  const conflicting: EditableClientField[] = [];
  for (const [field, change] of requested) {
    if (sameValue(stored[field], wanted[field])) continue;
    if (field === 'status' || sameValue(stored[field], change.base)) apply[field] = wanted[field];
    else conflicting.push(field);
  }
  const names = await lastChangers(em, id, conflicting);
  const conflicts = conflicting.map((field) => ({
    field,
    base: changes[field]?.base ?? null,
    yours: wanted[field],
    theirs: stored[field],
    by: names.get(field) ?? null,
  }));
  if (Object.keys(apply).length === 0) {
    return { client: toClientDto(client, await addedByOf(em, client)), conflicts };
  }
  // Re-check the record that will really be stored: conflicting fields keep their stored values.
  const next = conflicting.length > 0 ? await validateRecord(em, { ...stored, ...apply }, id) : wanted;
  await writeWithEvents(em, actor, async (tx, record) => {
    const fieldChanges = diff(stored, next);
    tx.assign(client, { ...next, ...searchColumns(next) } as Partial<ClientEntity>);
    record({
      clientId: id,
      type: onlyStatus(fieldChanges) ? 'client.status' : 'client.updated',
      changes: fieldChanges,
    });
  });
  return { client: toClientDto(client, await addedByOf(em, client)), conflicts };
}

/** What a portal client may change on its own card. */
const PORTAL_EDITABLE = new Set<EditableClientField>([
  'salutation',
  'name',
  'email',
  'mobile',
  'language',
  'officePhone',
  'city',
  'state',
  'postalCode',
  'companyAddress',
  'shippingAddress',
  'electronicAddressScheme',
  'electronicAddress',
  'emailNotifications',
]);

function diff(before: ClientRecord, after: ClientRecord): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const field of EDITABLE_CLIENT_FIELDS) {
    if (!sameValue(before[field], after[field])) changes[field] = { before: before[field], after: after[field] };
  }
  return changes;
}

function onlyStatus(changes: Record<string, FieldChange>): boolean {
  const fields = Object.keys(changes);
  return fields.length === 1 && fields[0] === 'status';
}

/** Applies `change` to every listed client that it affects, one event each, in one transaction. */
async function changeMany(
  em: EntityManager,
  actor: Actor,
  ids: number[],
  change: (client: ClientEntity, record: RecordEvent) => void,
): Promise<number> {
  const unique = [...new Set(ids)];
  return writeWithEvents(em, actor, async (tx, record) => {
    const clients = await tx.find(Client, { id: { $in: unique } });
    if (clients.length !== unique.length) {
      const found = new Set(clients.map((client) => client.id));
      throw new NotFoundError(`No client with id ${unique.filter((id) => !found.has(id)).join(', ')}.`);
    }
    let count = 0;
    for (const client of clients) {
      change(client, (event) => {
        count++;
        record(event);
      });
    }
    return count;
  });
}

export function setStatus(em: EntityManager, actor: Actor, ids: number[], status: ClientStatus): Promise<number> {
  return changeMany(em, actor, ids, (client, record) => {
    if (client.deletedAt || client.status === status) return;
    record({
      clientId: client.id,
      type: 'client.status',
      changes: { status: { before: client.status, after: status } },
    });
    client.status = status;
  });
}

export function deleteClients(em: EntityManager, actor: Actor, ids: number[]): Promise<number> {
  return changeMany(em, actor, ids, (client, record) => {
    if (client.deletedAt) return;
    const now = new Date();
    record({ clientId: client.id, type: 'client.deleted', changes: { deletedAt: { before: null, after: now } } });
    client.deletedAt = now;
  });
}

export function restoreClients(em: EntityManager, actor: Actor, ids: number[]): Promise<number> {
  return changeMany(em, actor, ids, (client, record) => {
    if (!client.deletedAt) return;
    record({
      clientId: client.id,
      type: 'client.restored',
      changes: { deletedAt: { before: client.deletedAt, after: null } },
    });
    client.deletedAt = null;
  });
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

// Names sort by their folded form, so "Łukasz" sits among the L's whatever the database's collation.
const SORT_PROPERTIES = {
  name: 'sortName',
  email: 'email',
  status: 'status',
  createdAt: 'createdAt',
  companyName: 'companyName',
  country: 'country',
} as const;

// Empty values sort as the greatest on every database (PostgreSQL's default; SQLite would put them first).
const ORDER_WITH_NULLS = { asc: QueryOrder.ASC_NULLS_LAST, desc: QueryOrder.DESC_NULLS_FIRST } as const;
// Only where empties exist: a plain order keeps SQLite's index on the not-null columns usable.
const NULLABLE_SORTS = new Set<string>(['email', 'companyName', 'country']);

export async function listClients(
  em: EntityManager,
  actor: Actor,
  query: ClientListQuery,
): Promise<{ items: ClientListItem[]; total: number }> {
  const qb = em.createQueryBuilder(Client, 'c').where({ deletedAt: null });
  if (actor.role === 'client') qb.andWhere({ id: actor.clientId ?? -1 });
  const search = query.search ? foldForSearch(query.search) : '';
  if (search) qb.andWhere("c.search_text like ? escape '\\'", [`%${escapeLike(search)}%`]);
  if (query.status) qb.andWhere({ status: query.status });
  if (query.categoryId) qb.andWhere({ categoryId: query.categoryId });
  if (query.subcategoryId) qb.andWhere({ subcategoryId: query.subcategoryId });
  if (query.country) qb.andWhere({ country: query.country });
  if (query.createdFrom) qb.andWhere({ createdAt: { $gte: new Date(`${query.createdFrom}T00:00:00Z`) } });
  if (query.createdTo) {
    const end = new Date(`${query.createdTo}T00:00:00Z`);
    end.setUTCDate(end.getUTCDate() + 1);
    qb.andWhere({ createdAt: { $lt: end } });
  }
  if (query.projectId) {
    qb.andWhere({
      id: {
        $in: em.createQueryBuilder(Project, 'p').select('p.client_id').where({ id: query.projectId }).getKnexQuery(),
      },
    });
  }
  if (query.contractTypeId) {
    qb.andWhere({
      id: {
        $in: em
          .createQueryBuilder(Contract, 'k')
          .select('k.client_id')
          .where({ typeId: query.contractTypeId })
          .getKnexQuery(),
      },
    });
  }
  const total = await qb.clone().getCount();
  const rows = await qb
    .orderBy({
      [SORT_PROPERTIES[query.sort]]: NULLABLE_SORTS.has(query.sort)
        ? ORDER_WITH_NULLS[query.direction]
        : query.direction,
      id: query.direction,
    })
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .getResultList();
  const categoryIds = [
    ...new Set(rows.map((row) => row.categoryId).filter((id): id is number => typeof id === 'number')),
  ];
  const categories = categoryIds.length > 0 ? await em.find(ClientCategory, { id: { $in: categoryIds } }) : [];
  const categoryName = new Map(categories.map((category) => [category.id, category.name]));
  return {
    total,
    items: rows.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email ?? null,
      status: row.status,
      createdAt: row.createdAt,
      companyName: row.companyName ?? null,
      mobile: row.mobile ?? null,
      country: row.country ?? null,
      categoryId: row.categoryId ?? null,
      categoryName: row.categoryId ? (categoryName.get(row.categoryId) ?? null) : null,
      photoFileId: row.photoFileId ?? null,
    })),
  };
}
