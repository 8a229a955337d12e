import type { EntityManager } from '@mikro-orm/knex';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import type { ClientListQuery, ClientRecord, ListSortField } from '../../shared/client-schema';
import { foldForSearch } from '../../shared/fold';
import { message } from '../../shared/messages';
import type { Actor } from '../auth/actor';
import { dateOf, type Sql } from '../db/sql';
import { ValidationError } from '../errors';
import { ClientCategory, ClientSubcategory } from '../lookups/entity';
import type { ClientListItem } from './dto';

/**
 * The search index lives beside the client table, in tables the ORM does not manage (the migrations create
 * them by hand, and mikro-orm.config.ts tells the schema diff to skip them):
 * - SQLite: `client_search`, an FTS5 table with the trigram tokenizer (substrings of 3+ characters), and
 *   `client_words`, an FTS5 table with the unicode61 tokenizer and prefix indexes for 1 and 2 characters. Both
 *   are external-content tables over `client.search_text`, kept in sync by triggers on `client`.
 * - PostgreSQL: `client_search` (client_id, search_text, words tsvector), filled by a trigger on `client`, with
 *   a pg_trgm GIN index on search_text and a GIN index on words.
 * Both index the same folded text (shared/fold.ts), so both databases find the same clients.
 */
export const SEARCH_INDEX_TABLES: RegExp[] = [/^client_(search|words)(_(data|idx|docsize|config|content))?$/];

/** "PL 526-025-02-74" -> "pl5260250274": tax numbers are written with and without separators. */
function compactTaxNumber(folded: string): string {
  return folded.replace(/[\s./-]+/g, '');
}

/** The folded copies of a record the list searches and sorts by; written on every create and update. */
export function searchColumns(record: Pick<ClientRecord, 'name' | 'email' | 'companyName' | 'taxNumber'>): {
  searchText: string;
  sortName: string;
} {
  const tax = record.taxNumber ? foldForSearch(record.taxNumber) : '';
  const compactTax = compactTaxNumber(tax);
  return {
    searchText: foldForSearch(
      [record.name, record.email, record.companyName, tax, compactTax === tax ? '' : compactTax]
        .filter(Boolean)
        .join(' | '),
    ),
    sortName: foldForSearch(record.name).slice(0, 200),
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** An FTS5 string literal: inside double quotes every character is literal, a quote is doubled. */
function ftsString(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

const TRIGRAM = 3;
const codePoints = (text: string) => [...text].length;

/**
 * How a search is run, by its folded text:
 * - 3 or more characters: substring match through the trigram index. A query that looks like a tax number
 *   ("526 025 02 74") also matches the number's compact form stored beside it ("5260250274").
 * - 1 or 2 letters or digits: too short for any trigram, so they match the START of a word (of the name,
 *   e-mail, company name or tax number) instead, through the word-prefix index ("ko" finds "Jan Kowalski").
 *   A substring match this short would hit most of the table anyway and could not use any index.
 * - 1 or 2 characters that include a symbol ("%", "_", "@"): no word index holds symbols, so this one case
 *   scans the folded column with LIKE, reading every client: acceptable for a query this rare.
 */
type SearchPlan =
  | { kind: 'substring'; terms: string[] }
  | { kind: 'wordPrefix'; prefix: string }
  | { kind: 'scan'; text: string };

export function planSearch(search: string | undefined): SearchPlan | null {
  const folded = foldForSearch(search ?? '');
  if (!folded) return null;
  if (codePoints(folded) < TRIGRAM) {
    return /^[\p{L}\p{N}]+$/u.test(folded) ? { kind: 'wordPrefix', prefix: folded } : { kind: 'scan', text: folded };
  }
  const terms = [folded];
  const compact = compactTaxNumber(folded);
  const taxLike = /^[a-z0-9\s./-]+$/.test(folded) && (folded.match(/\d/g)?.length ?? 0) >= 3;
  if (taxLike && compact !== folded && codePoints(compact) >= TRIGRAM) terms.push(compact);
  return { kind: 'substring', terms };
}

/** The ids of the live clients an indexed search plan finds, as a subquery on the search index alone. */
function searchIds(em: EntityManager, plan: Exclude<SearchPlan, { kind: 'scan' }>): Sql {
  if (em.getPlatform() instanceof PostgreSqlPlatform) {
    if (plan.kind === 'wordPrefix') {
      // The prefix is letters and digits only, so it needs no quoting inside the tsquery literal.
      return {
        sql: "select s.client_id from client_search s where s.words @@ to_tsquery('simple', ?)",
        params: [`'${plan.prefix}':*`],
      };
    }
    return {
      sql: `select s.client_id from client_search s where ${plan.terms.map(() => "s.search_text like ? escape '\\'").join(' or ')}`,
      params: plan.terms.map((term) => `%${escapeLike(term)}%`),
    };
  }
  if (plan.kind === 'wordPrefix') {
    return { sql: 'select rowid from client_words where client_words match ?', params: [`${ftsString(plan.prefix)}*`] };
  }
  return {
    sql: 'select rowid from client_search where client_search match ?',
    params: [plan.terms.map(ftsString).join(' OR ')],
  };
}

/** The SQL condition (on the client table aliased `c`) for a search plan, with its parameters. */
function searchCondition(em: EntityManager, plan: SearchPlan): Sql {
  if (plan.kind === 'scan') return { sql: "c.search_text like ? escape '\\'", params: [`%${escapeLike(plan.text)}%`] };
  const ids = searchIds(em, plan);
  return { sql: `c.id in (${ids.sql})`, params: ids.params };
}

/** The list's filters: its input without sort and paging. */
export interface ClientFilter {
  search?: string;
  status?: ClientRecord['status'];
  categoryId?: number;
  subcategoryId?: number;
  projectId?: number;
  contractTypeId?: number;
  country?: string;
  createdFrom?: string;
  createdTo?: string;
}

/**
 * A sub-category filter is offered only within its category: a pair that does not belong together is a
 * mistake in the request (or a stale link), answered with the field's error rather than an empty list.
 */
async function checkSubcategoryFilter(em: EntityManager, filter: ClientFilter): Promise<void> {
  if (!filter.categoryId || !filter.subcategoryId) return;
  const subcategory = await em.findOne(ClientSubcategory, filter.subcategoryId);
  if (!subcategory || subcategory.categoryId === filter.categoryId) return;
  const category = await em.findOne(ClientCategory, filter.categoryId);
  throw ValidationError.of(
    'subcategoryId',
    message('subcategoryMismatch', {
      field: 'subcategoryId',
      value: subcategory.name,
      category: category?.name ?? String(filter.categoryId),
    }),
  );
}

/** A date as a parameter compared with a stored datetime (SQLite stores milliseconds; PostgreSQL a timestamp). */
function dateParam(em: EntityManager, date: Date): unknown {
  return em.getPlatform().processDateProperty(date);
}

/**
 * The WHERE condition, on `client c`, for every live client the actor may see that matches the filter. Plain
 * SQL, the same on both databases but for the search: the list is the hottest read of the app, and an ORM query
 * builder would cost more than the indexed query itself (see bench/list.ts).
 */
export async function filterSql(em: EntityManager, actor: Actor, filter: ClientFilter): Promise<Sql> {
  await checkSubcategoryFilter(em, filter);
  const conditions = ['c.deleted_at is null'];
  const params: unknown[] = [];
  const where = (sql: string, ...values: unknown[]) => {
    conditions.push(sql);
    params.push(...values);
  };
  if (actor.role === 'client') where('c.id = ?', actor.clientId ?? -1);
  const plan = planSearch(filter.search);
  if (plan) {
    const search = searchCondition(em, plan);
    where(search.sql, ...search.params);
  }
  if (filter.status) where('c.status = ?', filter.status);
  if (filter.categoryId) where('c.category_id = ?', filter.categoryId);
  if (filter.subcategoryId) where('c.subcategory_id = ?', filter.subcategoryId);
  if (filter.country) where('c.country = ?', filter.country);
  if (filter.createdFrom) where('c.created_at >= ?', dateParam(em, new Date(`${filter.createdFrom}T00:00:00Z`)));
  if (filter.createdTo) {
    const end = new Date(`${filter.createdTo}T00:00:00Z`);
    end.setUTCDate(end.getUTCDate() + 1);
    where('c.created_at < ?', dateParam(em, end));
  }
  if (filter.projectId) where('c.id in (select p.client_id from project p where p.id = ?)', filter.projectId);
  if (filter.contractTypeId) {
    where('c.id in (select k.client_id from contract k where k.type_id = ?)', filter.contractTypeId);
  }
  return { sql: conditions.join(' and '), params };
}

/**
 * Each sort as the columns it orders by, then the id, all in one direction. Names sort by their folded form, so
 * "Łukasz" sits among the L's whatever the database's collation. Empty values sort as the greatest on both
 * databases (after the rest ascending, before them descending): the `(column is null)` key does that with a
 * plain ORDER BY that an index on the same expressions serves (SQLite cannot index NULLS LAST).
 */
const SORT_COLUMNS: Record<ListSortField, { column: string; nullable: boolean }> = {
  name: { column: 'sort_name', nullable: false },
  email: { column: 'email', nullable: true },
  status: { column: 'status', nullable: false },
  createdAt: { column: 'created_at', nullable: false },
  companyName: { column: 'company_name', nullable: true },
  country: { column: 'country', nullable: true },
};

/** The sort keys of one sort, in order, as SQL expressions on `c`; the id always comes last. */
export function sortKeys(sort: ListSortField): string[] {
  const { column, nullable } = SORT_COLUMNS[sort];
  return nullable ? [`(c.${column} is null)`, `c.${column}`, 'c.id'] : [`c.${column}`, 'c.id'];
}

export function orderBy(sort: ListSortField, direction: 'asc' | 'desc'): string {
  return sortKeys(sort)
    .map((key) => `${key} ${direction}`)
    .join(', ');
}

/**
 * The condition for "after this row" in a sort, for keyset paging: the rows that come after `last` (its sort
 * keys' stored values, as sortKeys lists them). Only the middle key of a nullable sort can be null, and then
 * every row of its group has it null, so the group is ordered by id alone.
 */
export function afterRow(sort: ListSortField, direction: 'asc' | 'desc', last: unknown[]): Sql {
  const keys = sortKeys(sort);
  const op = direction === 'asc' ? '>' : '<';
  const usable = keys.map((key, index) => ({ key, value: last[index] })).filter((part) => part.value !== null);
  let sql = '';
  const params: unknown[] = [];
  // Built from the last key outwards: k1 op v1 or (k1 = v1 and (k2 op v2 or (k2 = v2 and ...))).
  for (const [index, part] of [...usable].reverse().entries()) {
    if (index === 0) {
      sql = `${part.key} ${op} ?`;
      params.unshift(part.value);
    } else {
      sql = `${part.key} ${op} ? or (${part.key} = ? and (${sql}))`;
      params.unshift(part.value, part.value);
    }
  }
  return { sql: `(${sql})`, params };
}

/** A stored date as the driver returns it (SQLite: milliseconds; PostgreSQL: a Date). */
export interface ListRow {
  id: number;
  name: string;
  email: string | null;
  status: ClientRecord['status'];
  created_at: unknown;
  company_name: string | null;
  mobile: string | null;
  country: string | null;
  category_id: number | null;
  category_name: string | null;
  photo_file_id: number | null;
}

export function listItemOf(row: ListRow): ClientListItem {
  return {
    id: Number(row.id),
    name: row.name,
    email: row.email,
    status: row.status,
    createdAt: dateOf(row.created_at),
    companyName: row.company_name,
    mobile: row.mobile,
    country: row.country,
    categoryId: row.category_id === null ? null : Number(row.category_id),
    categoryName: row.category_name,
    photoFileId: row.photo_file_id === null ? null : Number(row.photo_file_id),
  };
}

const LIST_COLUMNS =
  'c.id, c.name, c.email, c.status, c.created_at, c.company_name, c.mobile, c.country, c.category_id, c.photo_file_id, cat.name as category_name';

const FILTERS = [
  'status',
  'categoryId',
  'subcategoryId',
  'projectId',
  'contractTypeId',
  'country',
  'createdFrom',
  'createdTo',
] as const;

/**
 * The total: counted in the search index alone when a staff member searches without other filters (the index
 * holds the live clients only, so no client row is read), else over the filtered clients.
 */
function countSql(em: EntityManager, actor: Actor, query: ClientListQuery, where: Sql): Sql {
  const plan = planSearch(query.search);
  if (plan && plan.kind !== 'scan' && actor.role !== 'client' && FILTERS.every((filter) => !query[filter])) {
    const ids = searchIds(em, plan);
    return { sql: `select count(*) as count from (${ids.sql}) hits`, params: ids.params };
  }
  return { sql: `select count(*) as count from client c where ${where.sql}`, params: where.params };
}

/**
 * The two statements behind one list page: the total, and the page. The page's ids are picked first from the
 * sort's index alone, then only those 50 rows are read and joined with their category: a deep page skips
 * thousands of index entries, never thousands of rows.
 */
export async function listStatements(
  em: EntityManager,
  actor: Actor,
  query: ClientListQuery,
): Promise<{ count: Sql; page: Sql }> {
  const where = await filterSql(em, actor, query);
  const order = orderBy(query.sort, query.direction);
  const pageIds = `select c.id from client c where ${where.sql} order by ${order} limit ? offset ?`;
  return {
    count: countSql(em, actor, query, where),
    page: {
      sql: `select ${LIST_COLUMNS} from client c left join client_category cat on cat.id = c.category_id where c.id in (${pageIds}) order by ${order}`,
      params: [...where.params, query.pageSize, (query.page - 1) * query.pageSize],
    },
  };
}

/**
 * SQLite plans the list's queries from table statistics it does not keep up by itself; without them it may walk
 * a whole index where a handful of rows would do (a project's clients, say). A bounded ANALYZE (about 10 ms at
 * 100,000 clients) refreshes them; the app runs it at start-up and after an import. PostgreSQL's autovacuum
 * keeps its own statistics.
 */
export async function refreshQueryStatistics(em: EntityManager): Promise<void> {
  if (em.getPlatform() instanceof PostgreSqlPlatform) return;
  await em.execute('pragma analysis_limit = 1000');
  await em.execute('analyze');
}
