import type { EntityManager } from '@mikro-orm/knex';
import { type Stringifier, stringify } from 'csv-stringify';
import { IMPORT_TARGET_LABELS } from '../../shared/client-csv';
import { FIELD_LABELS } from '../../shared/client-fields';
import type { ClientListQuery } from '../../shared/client-schema';
import type { Locale, Localized } from '../../shared/locale';
import type { Actor } from '../auth/actor';
import { dateOf, runSql, type Sql } from '../db/sql';
import { afterRow, filterSql, orderBy, sortKeys } from './search';

/**
 * The CSV form of a client, shared by the export and the import: one column per API field, plus the names
 * of the category and sub-category beside their ids (names travel between databases, ids do not) and the
 * name of who added the client. Values are language-neutral (codes, true/false, ISO 8601 UTC times); only the
 * headers follow the user's language.
 */
export const CSV_COLUMNS = [
  'id',
  'salutation',
  'name',
  'email',
  'country',
  'mobile',
  'gender',
  'language',
  'category',
  'categoryId',
  'subcategory',
  'subcategoryId',
  'status',
  'companyName',
  'website',
  'taxName',
  'taxNumber',
  'officePhone',
  'city',
  'state',
  'postalCode',
  'companyAddress',
  'shippingAddress',
  'electronicAddressScheme',
  'electronicAddress',
  'loginAllowed',
  'emailNotifications',
  'photoFileId',
  'logoFileId',
  'createdAt',
  'updatedAt',
  'addedBy',
  'addedById',
  'version',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

const withId = (label: Localized): Localized => ({ en: `${label.en} ID`, pl: `${label.pl} (ID)` });

export const CSV_HEADERS: Record<CsvColumn, Localized> = {
  ...IMPORT_TARGET_LABELS,
  id: { en: 'ID', pl: 'ID' },
  photoFileId: withId(FIELD_LABELS.photoFileId),
  logoFileId: withId(FIELD_LABELS.logoFileId),
  createdAt: FIELD_LABELS.createdAt,
  updatedAt: { en: 'Updated at', pl: 'Zmieniono' },
  addedBy: FIELD_LABELS.addedBy,
  addedById: withId(FIELD_LABELS.addedBy),
  version: { en: 'Version', pl: 'Wersja' },
};

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula: such cells get
 * a leading apostrophe (OWASP "CSV injection"). That includes phone numbers in E.164 ("+48..."); the import
 * takes the apostrophe off again, so a round trip keeps the value.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
export function guardFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
export function unguardFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** RFC 4180: CRLF between records, fields quoted when they hold a comma, a quote or any line break. */
export function csvStringifier(locale: Locale): Stringifier {
  return stringify({
    bom: true,
    header: true,
    columns: CSV_COLUMNS.map((key) => ({ key, header: CSV_HEADERS[key][locale] })),
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
    cast: {
      boolean: (value) => String(value),
      string: (value) => guardFormula(value),
      date: (value) => value.toISOString(),
    },
  });
}

type CsvRecord = Record<CsvColumn, string | number | boolean | Date | null>;

const CLIENT_COLUMNS = [
  'id',
  'salutation',
  'name',
  'email',
  'country',
  'mobile',
  'gender',
  'language',
  'category_id',
  'subcategory_id',
  'status',
  'company_name',
  'website',
  'tax_name',
  'tax_number',
  'office_phone',
  'city',
  'state',
  'postal_code',
  'company_address',
  'shipping_address',
  'electronic_address_scheme',
  'electronic_address',
  'login_allowed',
  'email_notifications',
  'photo_file_id',
  'logo_file_id',
  'created_at',
  'updated_at',
  'added_by_id',
  'version',
];

const camel = (column: string) => column.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

function csvRecordOf(row: Record<string, unknown>): CsvRecord {
  const record = Object.fromEntries(CLIENT_COLUMNS.map((column) => [camel(column), row[column] ?? null])) as CsvRecord;
  record.category = (row.category_name as string | null) ?? null;
  record.subcategory = (row.subcategory_name as string | null) ?? null;
  record.addedBy = (row.added_by_name as string | null) ?? null;
  record.loginAllowed = Boolean(row.login_allowed);
  record.emailNotifications = Boolean(row.email_notifications);
  record.createdAt = dateOf(row.created_at);
  record.updatedAt = dateOf(row.updated_at);
  return record;
}

export const EXPORT_BATCH_SIZE = 1000;

/**
 * Every client matching the list's filters, in the list's order, read in keyset-paged batches: each batch
 * starts after the last row of the one before (its sort keys and id), so no batch re-reads the ones before
 * and at most one batch is in memory. The filter is checked before this returns (a bad one throws here, before
 * any byte goes out); the rows are read as the consumer asks for them, and no more once it stops (a closed
 * download).
 */
export async function exportedClients(
  em: EntityManager,
  actor: Actor,
  query: ClientListQuery,
  batchSize = EXPORT_BATCH_SIZE,
): Promise<{ rows: AsyncGenerator<CsvRecord> }> {
  const where = await filterSql(em, actor, query);
  const keys = sortKeys(query.sort);
  const columns = [
    ...CLIENT_COLUMNS.map((column) => `c.${column}`),
    'cat.name as category_name',
    'sub.name as subcategory_name',
    'u.name as added_by_name',
    ...keys.map((key, index) => `${key} as sort_key_${index}`),
  ].join(', ');
  const from =
    'client c left join client_category cat on cat.id = c.category_id left join client_subcategory sub on sub.id = c.subcategory_id left join app_user u on u.id = c.added_by_id';
  async function* rows(): AsyncGenerator<CsvRecord> {
    let after: Sql = { sql: '', params: [] };
    for (;;) {
      const batch = await runSql<Record<string, unknown>>(em, {
        sql: `select ${columns} from ${from} where ${where.sql}${after.sql && ` and ${after.sql}`} order by ${orderBy(query.sort, query.direction)} limit ?`,
        params: [...where.params, ...after.params, batchSize],
      });
      for (const row of batch) yield csvRecordOf(row);
      const last = batch.at(-1);
      if (!last || batch.length < batchSize) return;
      after = afterRow(
        query.sort,
        query.direction,
        keys.map((_key, index) => last[`sort_key_${index}`]),
      );
    }
  }
  return { rows: rows() };
}
