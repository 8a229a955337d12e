import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { dateOf, jsonOf, runSql } from '../db/sql';
import type { Bus } from './bus';
import type { LoggedEvent } from './events';

/** Finished reads kept for subscribers that arrive a moment later; each holds at most one page. */
const KEPT_READS = 8;

interface SharedRead {
  /** Every row with a seq up to this had committed before the read started, so the read saw it. */
  covers: number;
  rows: Promise<LoggedEvent[]>;
}

/**
 * Reads pages of the event log for all the live subscriptions of one app, sharing the reads. One save wakes every
 * subscriber, and those at the same position want the same page: one query answers all of them, where each used
 * to read it for itself (a thousand queries per save, queued on SQLite's one connection).
 *
 * A read may serve a subscriber only if it started after every row that subscriber needs had committed. The bus
 * announces a seq only after its commit, and the log commits in seq order (one SQLite writer; an advisory lock
 * on PostgreSQL), so a read started when the bus had announced seq S sees every row up to S: it `covers` S.
 * A subscriber that needs the rows up to seq T takes a running or recent read of the same page that covers T,
 * or starts its own. A missed announcement only makes `covers` smaller, so the worst case is a read of one's own.
 */
export class LogReader {
  private announced = 0;
  private readonly reads = new Map<string, SharedRead>();

  /** Created with the app, so it hears each seq before any subscription does. */
  constructor(bus: Bus) {
    bus.subscribe((seq) => {
      this.announced = Math.max(this.announced, seq);
    });
  }

  /**
   * Up to `limit` rows after `after`, oldest first, of one client or of all (`clientId` null), including every row
   * up to `needed` that exists. The rows are shared between subscribers: read them, never change them.
   */
  page(orm: MikroORM, after: number, clientId: number | null, limit: number, needed: number): Promise<LoggedEvent[]> {
    const key = `${after}/${clientId ?? '*'}/${limit}`;
    const shared = this.reads.get(key);
    if (shared && shared.covers >= needed) return shared.rows;

    const read: SharedRead = { covers: this.announced, rows: readPage(orm, after, clientId, limit) };
    this.reads.delete(key);
    this.reads.set(key, read);
    // A failed read is not kept: the next subscriber tries again.
    read.rows.catch(() => {
      if (this.reads.get(key) === read) this.reads.delete(key);
    });
    for (const oldest of this.reads.keys()) {
      if (this.reads.size <= KEPT_READS) break;
      this.reads.delete(oldest);
    }
    return read.rows;
  }
}

interface LogRow {
  seq: number | string;
  client_id: number;
  type: string;
  actor_id: number | null;
  actor_name: string;
  changes: unknown;
  at: unknown;
}

/** One page of the log after `after`, oldest first; plain SQL, as every save wakes a read. */
async function readPage(orm: MikroORM, after: number, clientId: number | null, limit: number): Promise<LoggedEvent[]> {
  const rows = await runSql<LogRow>(orm.em.fork() as EntityManager, {
    sql: `select seq, client_id, type, actor_id, actor_name, changes, at from client_event
      where seq > ?${clientId === null ? '' : ' and client_id = ?'} order by seq limit ?`,
    params: clientId === null ? [after, limit] : [after, clientId, limit],
  });
  return rows.map((row) => ({
    seq: Number(row.seq),
    clientId: row.client_id,
    type: row.type,
    actorId: row.actor_id,
    actorName: row.actor_name,
    changes: jsonOf(row.changes),
    at: dateOf(row.at),
  }));
}
