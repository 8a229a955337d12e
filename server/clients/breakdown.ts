import { type EntityManager, raw } from '@mikro-orm/knex';
import type { ClientStatus } from '../../shared/enums';
import { ClientCategory } from '../lookups/entity';
import { Client } from './entity';

export interface StatusCounts {
  active: number;
  inactive: number;
}

export interface Breakdown {
  /** Per category (null: none), most clients first; the name is the category's current one. */
  byCategory: (StatusCounts & { categoryId: number | null; name: string | null })[];
  /** Per country code (null: none), most clients first. */
  byCountry: (StatusCounts & { country: string | null })[];
}

type Group<K extends string> = Record<K, unknown> & { status: ClientStatus; n: number | string };

/** Active and inactive clients (deleted ones left out) grouped by `column`, two counts per group. */
async function countsBy<K extends 'categoryId' | 'country'>(em: EntityManager, column: K) {
  const rows: Group<K>[] = await em
    .createQueryBuilder(Client, 'c')
    .select([column, 'status', raw('count(*) as n')])
    .where({ deletedAt: null })
    .groupBy([column, 'status'])
    .execute();
  const groups = new Map<unknown, StatusCounts>();
  for (const row of rows) {
    const key = row[column] ?? null;
    const counts = groups.get(key) ?? { active: 0, inactive: 0 };
    // PostgreSQL answers count(*) as a string (bigint).
    counts[row.status] += Number(row.n);
    groups.set(key, counts);
  }
  return [...groups].sort(([, a], [, b]) => b.active + b.inactive - (a.active + a.inactive));
}

/** The monitor's breakdown of clients by category and by country, each split into active and inactive. */
export async function clientBreakdown(em: EntityManager): Promise<Breakdown> {
  const byCategory = await countsBy(em, 'categoryId');
  const ids = byCategory.flatMap(([id]) => (typeof id === 'number' ? [id] : []));
  const names = new Map(
    (await em.find(ClientCategory, { id: { $in: ids } })).map((category) => [category.id, category.name]),
  );
  const byCountry = await countsBy(em, 'country');
  return {
    byCategory: byCategory.map(([id, counts]) => ({
      categoryId: typeof id === 'number' ? id : null,
      name: typeof id === 'number' ? (names.get(id) ?? null) : null,
      ...counts,
    })),
    byCountry: byCountry.map(([country, counts]) => ({
      country: typeof country === 'string' ? country : null,
      ...counts,
    })),
  };
}
