/**
 * session_state (one row) holds a version that database triggers move on with every change that can end a session
 * or change who it signs in as (see the migration that creates it). Hand-made, so the ORM's schema diff skips it.
 */
export const SESSION_STATE_TABLES: RegExp[] = [/^session_state$/];

/** The current version, as a scalar subquery (or a statement of its own). */
export const SESSION_STATE_VERSION_SQL = 'select version from session_state where id = 1';

/** The current version, or null when the database has none (then no check is ever taken as still holding). */
export async function readSessionStateVersion(connection: {
  execute<T>(sql: string, params: unknown[], method: 'all'): Promise<T>;
}): Promise<number | null> {
  const [row] = await connection.execute<{ version: number | string }[]>(SESSION_STATE_VERSION_SQL, [], 'all');
  return row ? Number(row.version) : null;
}
