import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';

/**
 * Tables a refused request may change on purpose: a session's last-seen time moves on every request, and the
 * audit log records refused sign-ins and the like (that is its job).
 */
const CHANGED_BY_DESIGN = new Set(['session', 'audit_entry']);

/** A fingerprint of every row of every table (but those above): equal fingerprints, unchanged data. */
export async function tablesFingerprint(orm: MikroORM): Promise<string> {
  const em = orm.em.fork() as EntityManager;
  const tables = Object.values(orm.getMetadata().getAll())
    .map((meta) => meta.tableName)
    .filter((table): table is string => Boolean(table) && !CHANGED_BY_DESIGN.has(table))
    .sort();
  const hash = createHash('sha256');
  for (const table of tables) {
    const rows = await em.execute(`select * from ${em.getPlatform().quoteIdentifier(table)} order by 1`);
    hash.update(`${table}:${JSON.stringify(rows)}\n`);
  }
  return hash.digest('hex');
}
