import { ConnectionException, type DriverException, LockWaitTimeoutException } from '@mikro-orm/core';

/** Node's socket errors for a database that cannot be reached or went away mid-query. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/** PostgreSQL's SQLSTATEs for a lost connection (class 08) or a server shutting down or starting (57P0x). */
const UNAVAILABLE_STATE = /^(08|57P0[1-3])/;
/** What pg and knex say when a connection died or none could be had from the pool in time. */
const UNAVAILABLE_MESSAGE = /Connection terminated|Connection ended unexpectedly|Timeout acquiring a connection/i;

export const DATABASE_BUSY = 'The database is busy; try again in a moment.';
export const DATABASE_UNAVAILABLE = 'The database is unavailable; try again.';

/**
 * The message for people when `error` means the database could not serve the request (it was locked for longer
 * than we wait, unreachable, or dropped the connection) rather than that the request was wrong; otherwise null.
 * Such a request may succeed when tried again, so people are told so instead of "something went wrong".
 */
export function databaseTrouble(error: unknown): string | null {
  if (error instanceof LockWaitTimeoutException) return DATABASE_BUSY;
  if (error instanceof ConnectionException) return DATABASE_UNAVAILABLE;
  if (!(error instanceof Error)) return null;
  const { code, sqlState } = error as DriverException;
  if (code && (NETWORK_CODES.has(code) || UNAVAILABLE_STATE.test(code))) return DATABASE_UNAVAILABLE;
  if (sqlState && UNAVAILABLE_STATE.test(sqlState)) return DATABASE_UNAVAILABLE;
  if (UNAVAILABLE_MESSAGE.test(error.message)) return DATABASE_UNAVAILABLE;
  return null;
}
