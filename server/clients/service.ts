import type { EntityManager } from '@mikro-orm/knex';
import { EDITABLE_CLIENT_FIELDS, type EditableClientField } from '../../shared/client-fields';
import {
  type ClientChanges,
  type ClientListQuery,
  type ClientRecord,
  type ClientRecordInput,
  checkClientReferences,
  clientRecordSchema,
  type FieldIssue,
} from '../../shared/client-schema';
import type { ClientStatus } from '../../shared/enums';
import { fieldErrorsFrom } from '../../shared/field-errors';
import { fieldLabel, message } from '../../shared/messages';
import { can, PORTAL_EDITABLE_FIELDS } from '../../shared/permissions';
import { ClientEvent, type FieldChange } from '../activity/entity';
import { type EventHook, type PendingEvent, writeTogether, writeWithEvents } from '../activity/write-path';
import type { Actor } from '../auth/actor';
import { placeholders, plainRow, runSql, updateVersioned } from '../db/sql';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { categoryPair } from '../lookups/service';
import { closePortalSockets, type PortalAccessChange, portalAccessChanged } from '../users/portal';
import { type ClientChange, changeInBatches, resolveSelection, type Selection } from './bulk';
import { type ClientDto, type ClientListItem, recordOf, toClientDto } from './dto';
import { Client, type ClientEntity } from './entity';
import { type ListRow, listItemOf, listStatements, searchColumns } from './search';

/** The active client (other than `selfId`) that already has this e-mail: e-mails are unique among active clients. */
export async function activeEmailOwner(
  em: EntityManager,
  email: string,
  selfId?: number,
): Promise<Pick<ClientEntity, 'id' | 'name'> | null> {
  // Plain SQL: every save of a client with an e-mail asks this.
  const [owner] = await runSql<{ id: number; name: string }>(em, {
    sql: `select id, name from client where email = ? and deleted_at is null${selfId ? ' and id <> ?' : ''} limit 1`,
    params: selfId ? [email, selfId] : [email],
  });
  return owner ?? null;
}

export function emailTakenIssue(email: string, owner: { id: number; name: string }): FieldIssue {
  return { path: ['email'], message: message('emailTaken', { field: 'email', value: email, ...owner }) };
}

/**
 * Refuses a commit that leaves two active clients with one e-mail. Every save checks the e-mail before its
 * transaction, but two saves can each find it free and both commit; this hook runs inside the transaction after
 * the event log's lock (SQLite's write lock; PostgreSQL's advisory lock), so the later of the two sees the
 * other's row and rolls back with the same error the early check gives. It looks only when an event set an
 * e-mail or brought a client back, so an ordinary save costs nothing more.
 */
export const refuseSharedEmails: EventHook = async (tx, _actor, events) => {
  const ids = [
    ...new Set(
      events
        .filter((event) => event.type === 'client.restored' || (event.changes.email?.after ?? null) !== null)
        .map((event) => event.clientId),
    ),
  ];
  if (ids.length === 0) return;
  const [shared] = await runSql<{ id: number; name: string; email: string; other_id: number; other_name: string }>(tx, {
    sql: `select c.id, c.name, c.email, o.id as other_id, o.name as other_name
        from client c join client o on o.email = c.email and o.id <> c.id and o.deleted_at is null
        where c.id in (${placeholders(ids.length)}) and c.deleted_at is null
        limit 1`,
    params: ids,
  });
  if (!shared) return;
  const owner = { id: Number(shared.other_id), name: shared.other_name };
  const restored = events.some((event) => event.type === 'client.restored' && event.clientId === Number(shared.id));
  if (restored) {
    throw new ConflictError(
      message('restoreEmailTaken', { client: shared.name, value: shared.email, name: owner.name, id: owner.id }),
    );
  }
  throw new ValidationError(fieldErrorsFrom([emailTakenIssue(shared.email, owner)]));
};

/** Validates a whole record with the shared rules, then the rules that need the database. */
async function validateRecord(em: EntityManager, input: unknown, selfId?: number): Promise<ClientRecord> {
  const parsed = clientRecordSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error.issues));
  const record = parsed.data;
  const [category, subcategory] = await categoryPair(em, record.categoryId, record.subcategoryId);
  const issues = checkClientReferences(record, category, subcategory);
  if (record.email !== null) {
    const other = await activeEmailOwner(em, record.email, selfId);
    if (other) issues.push(emailTakenIssue(record.email, other));
  }
  if (issues.length > 0) throw new ValidationError(fieldErrorsFrom(issues));
  return record;
}

async function addedByOf(
  em: EntityManager,
  actor: Actor,
  client: ClientEntity,
): Promise<{ id: number; name: string } | null> {
  if (!client.addedById) return null;
  // The actor's name is the one its session just read (as createClient answers): no query for one's own clients.
  if (client.addedById === actor.id) return { id: actor.id, name: actor.name };
  const [user] = await runSql<{ id: number; name: string }>(em, {
    sql: 'select id, name from app_user where id = ?',
    params: [client.addedById],
  });
  return user ?? null;
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
  return toClientDto(client, await addedByOf(em, actor, client));
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
    record_({ clientId: () => created.id, type: 'client.created', changes: creationChanges(record) });
    // The system's own writes (demo data at start-up) make no accounts: an administrator does, from the card.
    if (record.loginAllowed && actor.id) {
      await tx.flush(); // the portal account points at the client's id
      await portalAccessChanged(tx, actor, created, true);
    }
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
): Promise<UpdateResult> {
  assertMayAccess(actor, id);
  for (let attempt = 1; ; attempt++) {
    const fork = em.fork();
    try {
      return await mergeOnce(fork, actor, id, changes);
    } catch (error) {
      if (!(error instanceof LostRace) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** Another write changed the client between our read and our update: the merge runs again on fresh data. */
class LostRace extends Error {}

/**
 * What a save answers: the stored client and the fields that conflicted; when the save turned "Login allowed" on,
 * also the portal account's set-password link to hand over (null when it was e-mailed or none was needed).
 */
export interface UpdateResult {
  client: ClientDto;
  conflicts: FieldConflict[];
  portalLink?: PortalAccessChange['link'];
}

/** What a save will do, worked out from the stored card: nothing to write, or one versioned UPDATE and its event. */
type MergePlan =
  | { write: false; client: ClientEntity; conflicts: FieldConflict[] }
  | {
      write: true;
      client: ClientEntity;
      conflicts: FieldConflict[];
      stored: ClientRecord;
      next: ClientRecord;
      saved: ClientEntity;
      event: PendingEvent;
    };

/**
 * The per-field merge against the card as stored now. Plain SQL for the card (a field save is the hottest write
 * there is); `lock` (inside a transaction) also locks its row on PostgreSQL, as SQLite's write lock already does.
 */
async function planMerge(
  em: EntityManager,
  actor: Actor,
  id: number,
  changes: ClientChanges,
  lock = false,
): Promise<MergePlan> {
  const client = await plainRow<ClientEntity>(em, Client.meta.className, id, { lock });
  if (!client) throw new NotFoundError(`Client ${id} does not exist.`);
  if (client.deletedAt) throw new ConflictError(`Client "${client.name}" was deleted; restore it before editing.`);
  const stored = recordOf(client);
  const requested = Object.entries(changes).filter(([, change]) => change !== undefined) as [
    EditableClientField,
    { base: unknown; value: unknown },
  ][];
  if (actor.role === 'client') assertPortalEditable(requested.map(([field]) => field));

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
  if (Object.keys(apply).length === 0) return { write: false, client, conflicts };
  // Re-check the record that will really be stored: conflicting fields keep their stored values.
  const next = conflicting.length > 0 ? await validateRecord(em, { ...stored, ...apply }, id) : wanted;
  const saved: ClientEntity = {
    ...client,
    ...next,
    ...searchColumns(next),
    updatedAt: new Date(),
    version: client.version + 1,
  };
  const fieldChanges = diff(stored, next);
  const event: PendingEvent = {
    clientId: id,
    type: onlyStatus(fieldChanges) ? 'client.status' : 'client.updated',
    changes: fieldChanges,
  };
  return { write: true, client, conflicts, stored, next, saved, event };
}

/** Writes the plan's changed fields, if the card still has the version the plan was made from. */
function store(tx: EntityManager, plan: Extract<MergePlan, { write: true }>): Promise<boolean> {
  const { client, next, saved, event } = plan;
  const columns = Object.keys(event.changes).map((field) => [field, next[field as EditableClientField]]);
  return updateVersioned(
    tx,
    Client.meta.className,
    client.id,
    client.version,
    { ...Object.fromEntries(columns), ...searchColumns(next) },
    saved.updatedAt,
  );
}

/**
 * A save: the merge is planned from the card read outside any transaction, and written with the version it was
 * read at. The usual save commits together with the other saves of the moment (writeTogether); when another
 * save of the same card got there first, the merge is planned again inside that transaction, on the card as it
 * is now, so a busy card never makes a save retry in a loop. Turning "Login allowed" on or off also makes or
 * ends portal accounts, so it takes the one write path alone.
 */
async function mergeOnce(em: EntityManager, actor: Actor, id: number, changes: ClientChanges): Promise<UpdateResult> {
  let plan = await planMerge(em, actor, id, changes);
  let portal: PortalAccessChange | null = null;
  if (plan.write && plan.stored.loginAllowed !== plan.next.loginAllowed) {
    const planned = plan;
    portal = await writeWithEvents(em, actor, async (tx, record) => {
      if (!(await store(tx, planned))) throw new LostRace();
      record(planned.event);
      return portalAccessChanged(tx, actor, planned.saved, planned.next.loginAllowed);
    });
  } else if (plan.write) {
    const first = plan;
    plan = await writeTogether<MergePlan>(em, actor, async (tx) => {
      if (await store(tx, first)) return { events: [first.event], value: first };
      const again = await planMerge(tx, actor, id, changes, true);
      if (!again.write) return { events: [], value: again };
      // Rare: "Login allowed" changed meanwhile and this save now changes it: the retry takes the portal path.
      if (again.stored.loginAllowed !== again.next.loginAllowed) throw new LostRace();
      if (!(await store(tx, again))) throw new LostRace();
      return { events: [again.event], value: again };
    });
  }
  const client = plan.write ? plan.saved : plan.client;
  if (portal) closePortalSockets(em, portal);
  return {
    client: toClientDto(client, await addedByOf(em, actor, client)),
    conflicts: plan.conflicts,
    ...(portal?.link ? { portalLink: portal.link } : {}),
  };
}

/** A portal client changes only PORTAL_EDITABLE_FIELDS; any other field it sends is refused, by name. */
function assertPortalEditable(fields: EditableClientField[]): void {
  const refused = fields.filter((field) => !PORTAL_EDITABLE_FIELDS.has(field));
  if (refused.length === 0) return;
  throw new ValidationError(
    Object.fromEntries(
      refused.map((field) => [
        field,
        [`${fieldLabel(field, 'en')} cannot be changed here; ask us to change it for you.`],
      ]),
    ),
  );
}

/** A new client's event: every field it was given, from nothing. */
export function creationChanges(record: ClientRecord): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const field of EDITABLE_CLIENT_FIELDS) {
    if (record[field] !== null) changes[field] = { before: null, after: record[field] };
  }
  return changes;
}

export function diff(before: ClientRecord, after: ClientRecord): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const field of EDITABLE_CLIENT_FIELDS) {
    if (!sameValue(before[field], after[field])) changes[field] = { before: before[field], after: after[field] };
  }
  return changes;
}

export function onlyStatus(changes: Record<string, FieldChange>): boolean {
  const fields = Object.keys(changes);
  return fields.length === 1 && fields[0] === 'status';
}

/** Applies `change` to every client of the selection, in batches, one event per client it changed. */
async function changeSelected(
  em: EntityManager,
  actor: Actor,
  selection: Selection,
  change: ClientChange,
): Promise<number[]> {
  return changeInBatches(em, actor, await resolveSelection(em, actor, selection), change);
}

export async function setStatus(
  em: EntityManager,
  actor: Actor,
  selection: Selection,
  status: ClientStatus,
): Promise<number> {
  const changed = await changeSelected(em, actor, selection, (client, record) => {
    if (client.deletedAt || client.status === status) return;
    record({
      clientId: client.id,
      type: 'client.status',
      changes: { status: { before: client.status, after: status } },
    });
    client.status = status;
  });
  return changed.length;
}

/** Soft-deletes the selection; answers the ids it deleted (not those already deleted), for an Undo. */
export function deleteClients(em: EntityManager, actor: Actor, selection: Selection): Promise<number[]> {
  return changeSelected(em, actor, selection, (client, record) => {
    if (client.deletedAt) return;
    const now = new Date();
    record({ clientId: client.id, type: 'client.deleted', changes: { deletedAt: { before: null, after: now } } });
    client.deletedAt = now;
  });
}

export async function restoreClients(em: EntityManager, actor: Actor, ids: number[]): Promise<number> {
  const changed = await changeSelected(em, actor, { ids }, async (client, record, tx) => {
    if (!client.deletedAt) return;
    // Clients restored earlier in this batch count as active: write them first (the check is plain SQL).
    if (client.email) await tx.flush();
    const owner = client.email ? await activeEmailOwner(tx, client.email, client.id) : null;
    if (owner) {
      throw new ConflictError(
        message('restoreEmailTaken', {
          client: client.name,
          value: client.email ?? '',
          name: owner.name,
          id: owner.id,
        }),
      );
    }
    record({
      clientId: client.id,
      type: 'client.restored',
      changes: { deletedAt: { before: client.deletedAt, after: null } },
    });
    client.deletedAt = null;
  });
  return changed.length;
}

/** One page of the list, with the total; see search.ts for how the search and the sorts use their indexes. */
export async function listClients(
  em: EntityManager,
  actor: Actor,
  query: ClientListQuery,
): Promise<{ items: ClientListItem[]; total: number }> {
  const { count, page } = await listStatements(em, actor, query);
  const [counted] = await runSql<{ count: number | string }>(em, count);
  const rows = await runSql<ListRow>(em, page);
  return { total: Number(counted?.count ?? 0), items: rows.map(listItemOf) };
}
