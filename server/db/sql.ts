import type { EntityManager } from '@mikro-orm/knex';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { OneTurnLookups } from './one-turn-lookups';

/**
 * Plain SQL for the hot paths (every request's session check, the live log's pages, a field save): an ORM find
 * costs about a millisecond of CPU before the database sees it, which at hundreds of calls a second is the whole
 * budget. The same SQL runs on SQLite and PostgreSQL; `?` parameters, rows as the driver gives them.
 */

/** A piece of SQL with its `?` parameters, in order. */
export interface Sql {
  sql: string;
  params: unknown[];
}

/** Runs a statement on the request's connection (or transaction); rows come back as the driver gives them. */
export function runSql<Row>(em: EntityManager, statement: Sql): Promise<Row[]> {
  return em.getConnection().execute<Row[]>(statement.sql, statement.params, 'all', em.getTransactionContext());
}

/** A datetime column as either driver returns it: a Date (PostgreSQL), epoch milliseconds or an ISO text (SQLite). */
export function dateOf(value: unknown): Date {
  if (value instanceof Date) return value;
  return new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as string | number));
}

/** A boolean column as either driver returns it: true/false (PostgreSQL) or 1/0 (SQLite). */
export function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

/** A json column as either driver returns it: parsed (PostgreSQL) or text (SQLite). */
export function jsonOf<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** `?, ?, ?` for `count` parameters. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/**
 * One row of `entityName`'s table, read with plain SQL, as an object with the entity's property names and types.
 * Not managed by the ORM: change it with `updateVersioned`, not with a flush. `lock` (inside a transaction) locks
 * the row until the transaction ends on PostgreSQL; SQLite has no row locks (its write lock covers the file).
 * Outside a transaction the row is read together with the others asked for at the same moment (rowReadTogether).
 */
export async function plainRow<T>(
  em: EntityManager,
  entityName: string,
  id: number,
  options: { lock?: boolean } = {},
): Promise<T | null> {
  const meta = em.getMetadata().get(entityName);
  const platform = em.getPlatform();
  const table = platform.quoteIdentifier(meta.tableName);
  let row: Record<string, unknown> | undefined;
  if (em.isInTransaction()) {
    const lock = options.lock && platform instanceof PostgreSqlPlatform ? ' for update' : '';
    [row] = await runSql<Record<string, unknown>>(em, {
      sql: `select * from ${table} where id = ?${lock}`,
      params: [id],
    });
  } else {
    row = await rowReadTogether(em, table, id);
  }
  if (!row) return null;
  const entity: Record<string, unknown> = {};
  for (const prop of meta.props) {
    const column = prop.fieldNames?.[0];
    if (!column || !(column in row)) continue;
    const value = row[column];
    if (value === null || value === undefined) entity[prop.name] = null;
    else if (prop.runtimeType === 'boolean') entity[prop.name] = truthy(value);
    else if (prop.runtimeType === 'Date') entity[prop.name] = dateOf(value);
    else entity[prop.name] = value;
  }
  return entity as T;
}

type Row = Record<string, unknown>;
/** The row lookups by table, per app (its forks share one Configuration). */
const readsByConfig = new WeakMap<object, Map<string, OneTurnLookups<number, Row | undefined>>>();
/** Within every database's limit on bound parameters. */
const ROWS_PER_READ = 500;

/**
 * A row read by id outside any transaction, together with the other rows of its table asked for in the same turn
 * of the event loop: one statement for them all. The saves answered by one group commit ask for their cards'
 * next versions at once, and on SQLite's one connection each read was a round trip of its own.
 */
function rowReadTogether(em: EntityManager, table: string, id: number): Promise<Row | undefined> {
  let tables = readsByConfig.get(em.config);
  if (!tables) {
    tables = new Map();
    readsByConfig.set(em.config, tables);
  }
  let reads = tables.get(table);
  if (!reads) {
    // The app's connection, not this fork: the reads outlive the request that asked first.
    const connection = em.getConnection();
    reads = new OneTurnLookups(ROWS_PER_READ, async (ids) => {
      const rows = await connection.execute<Row[]>(
        `select * from ${table} where id in (${placeholders(ids.length)})`,
        ids,
        'all',
      );
      const byId = new Map(rows.map((row) => [Number(row.id), row]));
      return ids.map((rowId) => byId.get(rowId));
    });
    tables.set(table, reads);
  }
  return reads.get(id);
}

/**
 * Sets `values` (by property name) on the row with this id, only if it still has `version`, and moves the version
 * and updated_at on as a flush would. Answers false when another write got there first.
 */
export async function updateVersioned(
  em: EntityManager,
  entityName: string,
  id: number,
  version: number,
  values: Record<string, unknown>,
  at: Date,
): Promise<boolean> {
  const meta = em.getMetadata().get(entityName);
  const platform = em.getPlatform();
  const columns: string[] = [];
  const params: unknown[] = [];
  for (const [name, value] of Object.entries({ ...values, updatedAt: at })) {
    const column = meta.properties[name]?.fieldNames?.[0];
    if (!column) throw new Error(`${entityName} has no column for ${name}.`);
    columns.push(`${platform.quoteIdentifier(column)} = ?`);
    params.push(value instanceof Date ? platform.processDateProperty(value) : value);
  }
  const result = await em
    .getConnection()
    .execute<{ affectedRows: number }>(
      `update ${platform.quoteIdentifier(meta.tableName)} set ${columns.join(', ')}, version = version + 1 where id = ? and version = ?`,
      [...params, id, version],
      'run',
      em.getTransactionContext(),
    );
  return result.affectedRows === 1;
}
