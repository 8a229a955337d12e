import type { Configuration } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { SqlitePlatform } from '@mikro-orm/sqlite';
import type { Actor } from '../auth/actor';
import type { Bus } from '../live/bus';
import { ClientEvent, type ClientEventEntity, type FieldChange } from './entity';

export const EVENT_TYPES = [
  'client.created',
  'client.updated',
  'client.status',
  'client.deleted',
  'client.restored',
  'note.added',
  'note.updated',
  'note.deleted',
  'file.added',
  'file.deleted',
  'project.added',
  'project.renamed',
  'project.deleted',
  'contract.added',
  'contract.updated',
  'contract.deleted',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface PendingEvent {
  /** The client's id, or a function giving it once the client is flushed (new clients have no id before). */
  clientId: number | (() => number);
  type: EventType;
  changes: Record<string, FieldChange>;
}

export type RecordEvent = (event: PendingEvent) => void;

// The bus belongs to the ORM instance the app created; every fork of that ORM shares its Configuration.
const busByOrm = new WeakMap<Configuration, Bus>();

export function attachBus(em: EntityManager, bus: Bus): void {
  busByOrm.set(em.config, bus);
}

/**
 * Work that must commit or fail together with the events it reacts to (the mail outbox): it runs inside the
 * transaction, after the event rows are written, and sees those rows with their seq.
 */
export type EventHook = (tx: EntityManager, actor: Actor, events: readonly ClientEventEntity[]) => Promise<void>;

const hooksByOrm = new WeakMap<Configuration, EventHook[]>();

export function addEventHook(em: EntityManager, hook: EventHook): void {
  hooksByOrm.set(em.config, [...(hooksByOrm.get(em.config) ?? []), hook]);
}

// Any constant works; it only has to be the same for every instance appending to the log.
const EVENT_LOG_LOCK = 4_242_001;

/**
 * The one write path. `work` changes data on the transactional EntityManager and records what it changed;
 * the changes and their event-log rows commit together or not at all. After commit, the bus hears the new
 * seq. On PostgreSQL appends are serialized by a transaction-scoped lock, so seq order is commit order and a
 * reader taking "seq > last" can never skip a row that commits later with a lower seq.
 */
export async function writeWithEvents<T>(
  em: EntityManager,
  actor: Actor,
  work: (tx: EntityManager, record: RecordEvent) => Promise<T>,
): Promise<T> {
  let lastSeq = 0;
  const result = await em.transactional(async (tx) => {
    if (tx.getPlatform() instanceof SqlitePlatform) {
      // Take SQLite's write lock before reading, as BEGIN IMMEDIATE would. A transaction that reads first and
      // writes later fails at once with SQLITE_BUSY when another connection (a second process on the same file)
      // commits in between, busy_timeout or not; asking for the lock first makes SQLite wait for it instead.
      await tx.execute('update client_event set seq = seq where 0');
    }
    const pending: PendingEvent[] = [];
    const value = await work(tx, (event) => pending.push(event));
    await tx.flush();
    if (pending.length > 0) {
      if (tx.getPlatform() instanceof PostgreSqlPlatform) {
        await tx.execute(`select pg_advisory_xact_lock(${EVENT_LOG_LOCK})`);
      }
      const at = new Date();
      const rows = pending.map((event) => ({
        clientId: typeof event.clientId === 'function' ? event.clientId() : event.clientId,
        type: event.type,
        actorId: actor.id || null,
        actorName: actor.name,
        changes: event.changes,
        at,
      }));
      // One INSERT outside the unit of work: a second flush would diff every entity the work loaded once more,
      // and nothing needs these rows as managed entities. The driver answers every row's seq, in order
      // (em.insertMany answers only the first).
      const inserted = await tx
        .getDriver()
        .nativeInsertMany(ClientEvent.meta.className, rows, { ctx: tx.getTransactionContext() });
      const events: ClientEventEntity[] = rows.map((row, index) => ({
        ...row,
        seq: Number(inserted.rows?.[index]?.seq),
      }));
      lastSeq = Math.max(...events.map((event) => event.seq));
      for (const hook of hooksByOrm.get(em.config) ?? []) await hook(tx, actor, events);
    }
    return value;
  });
  if (lastSeq > 0) busByOrm.get(em.config)?.publish(lastSeq);
  return result;
}
