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
    await takeWriteLock(tx);
    const pending: PendingEvent[] = [];
    const value = await work(tx, (event) => pending.push(event));
    await tx.flush();
    lastSeq = await appendEvents(tx, [{ actor, events: pending }]);
    return value;
  });
  if (lastSeq > 0) busByOrm.get(em.config)?.publish(lastSeq);
  return result;
}

async function takeWriteLock(tx: EntityManager): Promise<void> {
  if (tx.getPlatform() instanceof SqlitePlatform) {
    // Take SQLite's write lock before reading, as BEGIN IMMEDIATE would. A transaction that reads first and
    // writes later fails at once with SQLITE_BUSY when another connection (a second process on the same file)
    // commits in between, busy_timeout or not; asking for the lock first makes SQLite wait for it instead.
    await tx.execute('update client_event set seq = seq where 0');
  }
}

/** Appends the events of one or more actors' writes, in order, with one INSERT; runs the hooks; answers the last seq. */
async function appendEvents(
  tx: EntityManager,
  writes: readonly { actor: Actor; events: readonly PendingEvent[] }[],
): Promise<number> {
  const at = new Date();
  const rows = writes.flatMap(({ actor, events }) =>
    events.map((event) => ({
      clientId: typeof event.clientId === 'function' ? event.clientId() : event.clientId,
      type: event.type,
      actorId: actor.id || null,
      actorName: actor.name,
      changes: event.changes,
      at,
    })),
  );
  if (rows.length === 0) return 0;
  if (tx.getPlatform() instanceof PostgreSqlPlatform) {
    await tx.execute(`select pg_advisory_xact_lock(${EVENT_LOG_LOCK})`);
  }
  // One INSERT outside the unit of work: a second flush would diff every entity the work loaded once more,
  // and nothing needs these rows as managed entities. The driver answers every row's seq, in order
  // (em.insertMany answers only the first).
  const inserted = await tx
    .getDriver()
    .nativeInsertMany(ClientEvent.meta.className, rows, { ctx: tx.getTransactionContext() });
  const stored: ClientEventEntity[] = rows.map((row, index) => ({ ...row, seq: Number(inserted.rows?.[index]?.seq) }));
  let offset = 0;
  for (const { actor, events } of writes) {
    const own = stored.slice(offset, offset + events.length);
    offset += events.length;
    if (own.length === 0) continue;
    for (const hook of hooksByOrm.get(tx.config) ?? []) await hook(tx, actor, own);
  }
  return Math.max(...stored.map((event) => event.seq));
}

/**
 * A write that may share its transaction with others (see `writeTogether`): it answers the events it recorded
 * (none if it wrote nothing) and its value for the caller. Throwing fails the shared transaction; then every
 * write of it runs again alone, so keep throwing for the exceptional.
 */
export type SharedWrite<T> = (tx: EntityManager) => Promise<{ events: PendingEvent[]; value: T }>;

interface QueuedWrite {
  actor: Actor;
  write: SharedWrite<unknown>;
  done(value: unknown): void;
  failed(error: unknown): void;
}

const queuesByOrm = new WeakMap<Configuration, QueuedWrite[]>();

/**
 * Group commit for the hottest writes (a field save): a write arriving while another transaction of this kind
 * runs waits for it and then commits together with every other write that arrived meanwhile, in one transaction
 * and one INSERT of their events. One at a time, each save paid for its own BEGIN, lock, INSERT and COMMIT, and
 * on SQLite's single connection those round trips, not the CPU, set the pace. Answers the write's value.
 * If a shared transaction fails (every write of it has settled by then), each of its writes runs again alone, so
 * one write's failure is only its own.
 */
export async function writeTogether<T>(em: EntityManager, actor: Actor, write: SharedWrite<T>): Promise<T> {
  // Inside a transaction of the caller's, the write belongs to it: it commits, or rolls back, with that one.
  if (em.isInTransaction()) {
    return writeWithEvents(em, actor, async (tx, record) => {
      const { events, value } = await write(tx);
      for (const event of events) record(event);
      return value;
    });
  }
  return new Promise<T>((resolve, failed) => {
    const done = (value: unknown) => resolve(value as T);
    let queue = queuesByOrm.get(em.config);
    const first = !queue;
    if (!queue) {
      queue = [];
      queuesByOrm.set(em.config, queue);
    }
    queue.push({ actor, write, done, failed });
    if (first) void drain(em, queue);
  });
}

async function drain(em: EntityManager, queue: QueuedWrite[]): Promise<void> {
  while (queue.length > 0) {
    const batch = queue.splice(0, queue.length);
    try {
      const values = await commitTogether(em, batch);
      for (const [index, item] of batch.entries()) item.done(values[index]);
    } catch (error) {
      if (batch.length === 1) batch[0]?.failed(error);
      else await runAlone(em, batch);
    }
  }
  queuesByOrm.delete(em.config);
}

async function runAlone(em: EntityManager, batch: QueuedWrite[]): Promise<void> {
  for (const item of batch) {
    try {
      item.done((await commitTogether(em, [item]))[0]);
    } catch (error) {
      item.failed(error);
    }
  }
}

async function commitTogether(em: EntityManager, batch: readonly QueuedWrite[]): Promise<unknown[]> {
  let lastSeq = 0;
  const values = await em.fork().transactional(async (tx) => {
    await takeWriteLock(tx);
    // On SQLite the writes run at once: their statements queue back to back on the connection instead of each
    // waiting for the one before's answer. Their events go into the log in the order the writes finished: two
    // writes of one card cannot both pass the version check, so the loser's second try (planned on the winner's
    // row) ends after the winner, and the log keeps the order the rows changed in. On PostgreSQL they run one
    // after another: the transaction's client takes one statement at a time anyway, and `pg` deprecates queuing.
    const writes: { actor: Actor; events: PendingEvent[] }[] = [];
    const valuesOfBatch: unknown[] = [];
    const run = async ({ actor, write }: QueuedWrite, index: number) => {
      const { events, value } = await write(tx);
      writes.push({ actor, events });
      valuesOfBatch[index] = value;
    };
    if (tx.getPlatform() instanceof PostgreSqlPlatform) {
      for (const [index, item] of batch.entries()) await run(item, index);
    } else {
      const settled = await Promise.allSettled(batch.map(run));
      for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    }
    lastSeq = await appendEvents(tx, writes);
    return valuesOfBatch;
  });
  if (lastSeq > 0) busByOrm.get(em.config)?.publish(lastSeq);
  return values;
}
