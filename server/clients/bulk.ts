import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { z } from 'zod';
import { type ClientListQuery, checkClientReferences, clientListInputSchema } from '../../shared/client-schema';
import { fieldErrorsFrom } from '../../shared/field-errors';
import { message } from '../../shared/messages';
import { can } from '../../shared/permissions';
import type { FieldChange } from '../activity/entity';
import { type RecordEvent, writeWithEvents } from '../activity/write-path';
import type { Actor } from '../auth/actor';
import { runSql } from '../db/sql';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { categoryPair } from '../lookups/service';
import { Client, type ClientEntity } from './entity';
import { filterSql } from './search';

/**
 * Bulk changes commit in batches of this many clients, one transaction each: a selection of 100,000 never holds
 * the write lock (SQLite) or the event-log lock (PostgreSQL) for longer than one batch, so other people's saves
 * slip in between. Each batch is all-or-nothing; a failure stops the run, and the batches before it stay done.
 */
export const BULK_BATCH_SIZE = 500;

/** The most ids one call may name (an Undo of a large delete sends back every id it deleted). */
export const MAX_SELECTED_IDS = 100_000;

const clientId = z.number().int().positive();

/**
 * A bulk action's target: the rows a user ticked (`ids`), or every client matching the list's filters
 * (`filter`: the list's own input; its sort and paging are ignored), which the server resolves itself.
 */
export function selectionInput<Shape extends z.ZodRawShape>(shape: Shape) {
  return z
    .object({
      ids: z.array(clientId).min(1, 'Choose at least one client.').max(MAX_SELECTED_IDS).optional(),
      filter: clientListInputSchema.optional(),
      ...shape,
    })
    .strict()
    .refine(
      (input) => {
        const { ids, filter } = input as { ids?: unknown; filter?: unknown };
        return (ids === undefined) !== (filter === undefined);
      },
      {
        path: ['ids'],
        error: 'Give either ids (the chosen clients) or filter (every client matching the list), not both.',
      },
    );
}

export type Selection = { ids?: number[]; filter?: ClientListQuery };

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/**
 * The ids a selection names. Chosen ids must all exist (deleted ones included, so Undo can restore them);
 * "every client matching" is for roles with clients.bulk, and covers the live clients the actor may list.
 */
export async function resolveSelection(em: EntityManager, actor: Actor, selection: Selection): Promise<number[]> {
  if (selection.filter) {
    if (!can(actor.role, 'clients.bulk')) {
      throw new ForbiddenError(
        `Your role (${actor.role}) may not change every client matching a filter at once (clients.bulk); choose the clients instead.`,
      );
    }
    const where = await filterSql(em, actor, selection.filter);
    const sql = `select c.id from client c where ${where.sql} order by c.id`;
    const rows = await runSql<{ id: number | string }>(em, { sql, params: where.params });
    return rows.map((row) => Number(row.id));
  }
  const unique = [...new Set(selection.ids ?? [])];
  const found = new Set<number>();
  for (const chunk of chunks(unique, BULK_BATCH_SIZE)) {
    const rows = await em.find(Client, { id: { $in: chunk } }, { fields: ['id'] });
    for (const row of rows) found.add(row.id);
  }
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length > 0) {
    const shown = missing.slice(0, 20).join(', ');
    throw new NotFoundError(
      `No client with id ${shown}${missing.length > 20 ? ` (and ${missing.length - 20} more)` : ''}.`,
    );
  }
  return unique;
}

/** Changes one client, recording an event when it changed anything; a client it leaves alone records none. */
export type ClientChange = (client: ClientEntity, record: RecordEvent, tx: EntityManager) => void | Promise<void>;

const MAX_ATTEMPTS = 5;

/**
 * Applies `change` to every listed client, through the one write path, one event per changed client, in
 * batches (BULK_BATCH_SIZE). A batch that races another writer (the version column) runs again on fresh rows.
 * Returns the ids that changed, in order.
 */
export async function changeInBatches(
  em: EntityManager,
  actor: Actor,
  ids: readonly number[],
  change: ClientChange,
): Promise<number[]> {
  const changed: number[] = [];
  for (const chunk of chunks(ids, BULK_BATCH_SIZE)) {
    for (let attempt = 1; ; attempt++) {
      try {
        // A fresh fork per batch: an identity map holding every batch so far would slow each later flush.
        const batch = await writeWithEvents(em.fork(), actor, async (tx, record) => {
          const clients = await tx.find(Client, { id: { $in: chunk } }, { orderBy: { id: 'asc' } });
          const done: number[] = [];
          for (const client of clients) {
            await change(
              client,
              (event) => {
                if (done.at(-1) !== client.id) done.push(client.id);
                record(event);
              },
              tx,
            );
          }
          return done;
        });
        changed.push(...batch);
        break;
      } catch (error) {
        if (!(error instanceof OptimisticLockError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
  return changed;
}

/** The category (and sub-category) to give every selected client; null clears it. */
export interface CategoryAssignment {
  categoryId: number | null;
  /** Omitted: a client keeps its sub-category when its category does not change, and loses it otherwise. */
  subcategoryId?: number | null;
}

async function checkAssignment(em: EntityManager, assignment: CategoryAssignment): Promise<void> {
  const subcategoryId = assignment.subcategoryId ?? null;
  const [category, subcategory] = await categoryPair(em, assignment.categoryId, subcategoryId);
  const issues = checkClientReferences({ categoryId: assignment.categoryId, subcategoryId }, category, subcategory);
  if (subcategoryId !== null && assignment.categoryId === null) {
    issues.push({
      path: ['subcategoryId'],
      message: message('subcategoryWithoutCategory', { field: 'subcategoryId' }),
    });
  }
  if (issues.length > 0) throw new ValidationError(fieldErrorsFrom(issues));
}

/** Puts every selected live client in a category, one `client.updated` event for each client that changed. */
export async function assignCategory(
  em: EntityManager,
  actor: Actor,
  selection: Selection,
  assignment: CategoryAssignment,
): Promise<number> {
  await checkAssignment(em, assignment);
  const ids = await resolveSelection(em, actor, selection);
  const changed = await changeInBatches(em, actor, ids, (client, record) => {
    if (client.deletedAt) return;
    const before = { categoryId: client.categoryId ?? null, subcategoryId: client.subcategoryId ?? null };
    const after = {
      categoryId: assignment.categoryId,
      subcategoryId:
        assignment.subcategoryId !== undefined
          ? assignment.subcategoryId
          : before.categoryId === assignment.categoryId
            ? before.subcategoryId
            : null,
    };
    const changes: Record<string, FieldChange> = {};
    if (before.categoryId !== after.categoryId)
      changes.categoryId = { before: before.categoryId, after: after.categoryId };
    if (before.subcategoryId !== after.subcategoryId) {
      changes.subcategoryId = { before: before.subcategoryId, after: after.subcategoryId };
    }
    if (Object.keys(changes).length === 0) return;
    record({ clientId: client.id, type: 'client.updated', changes });
    client.categoryId = after.categoryId;
    client.subcategoryId = after.subcategoryId;
  });
  return changed.length;
}
