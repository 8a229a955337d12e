import { BaseSqliteSchemaHelper } from '@mikro-orm/knex';

/**
 * MikroORM 6.6.16 reads a SQLite enum's `check (col in ('a', 'b', 'c'))` back as ['a', 'c']: only the comma
 * before the last value splits. Every enum with three or more values then looks changed, and the schema diff
 * (migration:create, the migrations test) proposes rebuilding those tables right after migrating. Fixed
 * upstream for 6.x in mikro-orm/mikro-orm#8139 (after 6.6.16; 6.6.17 cannot be installed here, see STACK.md).
 * This replaces the method with the string-literal parsing MikroORM 7 uses. Remove it after upgrading.
 */
const FIXED = Symbol.for('kartoteka.sqliteEnumFix');
const proto = BaseSqliteSchemaHelper.prototype as BaseSqliteSchemaHelper & { [FIXED]?: true };

if (!proto[FIXED]) {
  proto[FIXED] = true;
  proto.getEnumDefinitions = async function getEnumDefinitions(connection, _checks, tableName, _schemaName, ctx) {
    const sql = 'select sql from sqlite_master where type = ? and name = ?';
    const table = (await connection.execute<{ sql: string }>(sql, ['table', tableName], 'get', ctx)) as
      | { sql: string }
      | undefined;
    const definitions: Record<string, string[]> = {};
    // `col` text check (`col` in ('a', 'b''s', 'c'))
    const pattern =
      /[`["']([^`\]"']+)[`\]"'] text check \([`["'][^`\]"']+[`\]"'] in \(((?:\s*'(?:[^']|'')*'\s*,?)*)\)\)/gi;
    for (const match of table?.sql.matchAll(pattern) ?? []) {
      const [, column, list] = match;
      if (!column || list === undefined) continue;
      definitions[column] = [...list.matchAll(/'((?:[^']|'')*)'/g)].map((value) =>
        (value[1] ?? '').replace(/''/g, "'"),
      );
    }
    return definitions;
  };
}
