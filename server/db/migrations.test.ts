import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { Migrator } from '@mikro-orm/migrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseSettings } from '../../mikro-orm.config';
import { createThrowawayPostgres } from '../test/databases';
import { openDatabase } from './orm';

/** What the checked-in migrations leave undone: any SQL here means an entity changed without a migration. */
async function schemaDrift(orm: MikroORM): Promise<{ pending: string[]; diff: string }> {
  const migrator = orm.getMigrator() as Migrator;
  const pending = (await migrator.getPendingMigrations()).map((migration) => migration.name);
  const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
  return { pending, diff: diff.trim() };
}

const HINT = 'The entities differ from the schema the migrations build: run `npm run migration:create -- <name>`.';

describe('migrations on SQLite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kartoteka-migrations-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bring an empty database to exactly the schema of the entities', async () => {
    const orm = await openDatabase({ sqlitePath: join(dir, 'fresh.sqlite') });
    try {
      const drift = await schemaDrift(orm);
      expect(drift.pending).toEqual([]);
      expect(drift.diff, HINT).toBe('');
      expect((await (orm.getMigrator() as Migrator).getExecutedMigrations()).length).toBeGreaterThan(0);
    } finally {
      await orm.close(true);
    }
  });

  it('are not run again when the database is opened a second time', async () => {
    const settings = { sqlitePath: join(dir, 'twice.sqlite') };
    await (await openDatabase(settings)).close(true);
    const orm = await openDatabase(settings);
    try {
      const executed = await (orm.getMigrator() as Migrator).getExecutedMigrations();
      expect(new Set(executed.map((row) => row.name)).size).toBe(executed.length);
      expect((await schemaDrift(orm)).diff).toBe('');
    } finally {
      await orm.close(true);
    }
  });
});

describe('migrations on PostgreSQL', () => {
  const drops: (() => Promise<void>)[] = [];
  async function freshDatabase(): Promise<DatabaseSettings> {
    const database = await createThrowawayPostgres();
    drops.push(database.drop);
    return database.settings;
  }
  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  it('bring an empty database to exactly the schema of the entities', async () => {
    const orm = await openDatabase(await freshDatabase());
    try {
      const drift = await schemaDrift(orm);
      expect(drift.pending).toEqual([]);
      expect(drift.diff, HINT).toBe('');
    } finally {
      await orm.close(true);
    }
  });

  it('run exactly once when several instances open one fresh database at the same time', async () => {
    const settings = await freshDatabase();
    const orms = await Promise.all([openDatabase(settings), openDatabase(settings), openDatabase(settings)]);
    try {
      const [first] = orms;
      if (!first) throw new Error('no ORM');
      const rows = await (first.em.fork() as EntityManager)
        .getConnection()
        .execute<{ name: string; count: string | number }[]>(
          'select name, count(*) as count from mikro_orm_migrations group by name order by name',
        );
      const files = (await (first.getMigrator() as Migrator).getExecutedMigrations()).map((row) => row.name);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((row) => row.name)).toEqual([...new Set(files)].sort());
      for (const row of rows) expect(Number(row.count), row.name).toBe(1);
      expect((await schemaDrift(first)).diff).toBe('');
    } finally {
      await Promise.all(orms.map((orm) => orm.close(true)));
    }
  });
});
