import type { MikroORM } from '@mikro-orm/core';

/**
 * Counts, while `work` runs, the statements sent on the app's database connection that match each pattern (a
 * statement counts for the first pattern it matches): how tests see that reads go together or are skipped.
 */
export async function countStatements<T, K extends string>(
  orm: MikroORM,
  patterns: Record<K, RegExp>,
  work: () => Promise<T>,
): Promise<{ result: T; counts: Record<K, number> }> {
  const connection = orm.em.getConnection();
  const execute = connection.execute.bind(connection);
  const entries = Object.entries(patterns) as [K, RegExp][];
  const counts = Object.fromEntries(entries.map(([name]) => [name, 0])) as Record<K, number>;
  connection.execute = ((sql: string, ...rest: unknown[]) => {
    const match = entries.find(([, pattern]) => pattern.test(sql));
    if (match) counts[match[0]]++;
    return (execute as (...args: unknown[]) => unknown)(sql, ...rest);
  }) as typeof connection.execute;
  try {
    return { result: await work(), counts };
  } finally {
    connection.execute = execute;
  }
}
