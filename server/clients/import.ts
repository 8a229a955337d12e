import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { ImportCounts, ImportEvent, ImportMapping, ImportTarget, UpsertKey } from '../../shared/client-csv';
import type { EditableClientField } from '../../shared/client-fields';
import { type ClientRecord, checkClientReferences, clientRecordSchema } from '../../shared/client-schema';
import { type FieldErrors, fieldErrorsFrom } from '../../shared/field-errors';
import { foldForSearch } from '../../shared/fold';
import { message } from '../../shared/messages';
import { can } from '../../shared/permissions';
import { type RecordEvent, writeWithEvents } from '../activity/write-path';
import type { Actor } from '../auth/actor';
import { ClientCategory, ClientSubcategory } from '../lookups/entity';
import { log } from '../ops/log';
import { unguardFormula } from './csv';
import { recordOf } from './dto';
import { Client, type ClientEntity } from './entity';
import { type CsvFile, type CsvRow, csvRows } from './import-file';
import { refreshQueryStatistics, searchColumns } from './search';
import { creationChanges, diff, emailTakenIssue, onlyStatus } from './service';

/** Rows per transaction: big enough to be fast, small enough not to hold the write lock for long. */
export const IMPORT_BATCH_SIZE = 1000;

export interface ImportOptions {
  mode: 'dry-run' | 'import';
  upsert: UpsertKey;
  mapping: ImportMapping;
}

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

// Fields whose empty cell means "the default" (a new client) or "as stored" (an update), never "nothing".
const DEFAULTED = new Set<string>(['status', 'loginAllowed', 'emailNotifications']);
const FLAGS = new Set<string>(['loginAllowed', 'emailNotifications']);
const CODES = new Set<string>(['salutation', 'gender', 'status']);
const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'tak', 't']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'nie']);

/** A cell as the shared schema expects it: flags as booleans, codes in lower case, the formula guard removed. */
function cellValue(target: ImportTarget, cell: string): unknown {
  const text = unguardFormula(cell.trim());
  if (text === '') return DEFAULTED.has(target) ? undefined : null;
  if (FLAGS.has(target)) {
    const word = text.toLowerCase();
    return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : text;
  }
  return CODES.has(target) ? text.toLowerCase() : text;
}

const normalizeEmail = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : '');
const compactTax = (value: unknown) => (typeof value === 'string' ? foldForSearch(value).replace(/[\s./-]+/g, '') : '');

/** Categories and sub-categories by folded name, loaded once per import (they are short lists). */
interface Lookups {
  categories: Map<number, { id: number; name: string }>;
  categoryByName: Map<string, number>;
  subcategories: Map<number, { id: number; name: string; categoryId: number }>;
  /** `${categoryId}/${folded name}` -> id */
  subcategoryByName: Map<string, number>;
}

async function loadLookups(em: EntityManager): Promise<Lookups> {
  const categories = await em.find(ClientCategory, {});
  const subcategories = await em.find(ClientSubcategory, {});
  return {
    categories: new Map(categories.map((category) => [category.id, category])),
    categoryByName: new Map(categories.map((category) => [foldForSearch(category.name), category.id])),
    subcategories: new Map(subcategories.map((sub) => [sub.id, sub])),
    subcategoryByName: new Map(subcategories.map((sub) => [`${sub.categoryId}/${foldForSearch(sub.name)}`, sub.id])),
  };
}

/** A row's mapped cells as record fields; lookups given by name become ids (or an issue at the field). */
function rowValues(
  cells: string[],
  columns: { index: number; target: ImportTarget }[],
  lookups: Lookups,
): { values: Partial<Record<EditableClientField, unknown>>; issues: Issue[] } {
  const values: Partial<Record<EditableClientField, unknown>> = {};
  const issues: Issue[] = [];
  const named: Partial<Record<'category' | 'subcategory', string>> = {};
  for (const { index, target } of columns) {
    const value = cellValue(target, cells[index] ?? '');
    if (target === 'category' || target === 'subcategory') {
      if (typeof value === 'string') named[target] = value;
      else values[target === 'category' ? 'categoryId' : 'subcategoryId'] = null;
    } else if (value !== undefined) {
      values[target] = value;
    }
  }
  if (named.category !== undefined) {
    const id = lookups.categoryByName.get(foldForSearch(named.category));
    if (id) values.categoryId = id;
    else issues.push(unknownName('categoryId', named.category));
  }
  if (named.subcategory !== undefined) {
    const categoryId = typeof values.categoryId === 'number' ? values.categoryId : null;
    const id = categoryId ? lookups.subcategoryByName.get(`${categoryId}/${foldForSearch(named.subcategory)}`) : null;
    if (id) values.subcategoryId = id;
    else if (categoryId || named.category === undefined) issues.push(unknownName('subcategoryId', named.subcategory));
  }
  return { values, issues };
}

function unknownName(field: 'categoryId' | 'subcategoryId', value: string): Issue {
  return { path: [field], message: message('unknownLookupName', { field, value }) };
}

/** The keys a row claims in this file: its e-mail, and its tax number when that is the upsert key. */
interface RowKeys {
  email: string;
  tax: string;
}

/** What one row comes to: a new client, new values for a matched one, nothing to change, or errors. */
type RowPlan =
  | { kind: 'create'; row: CsvRow; keys: RowKeys; record: ClientRecord }
  | { kind: 'update'; row: CsvRow; keys: RowKeys; client: ClientEntity; record: ClientRecord }
  | { kind: 'unchanged'; row: CsvRow; keys: RowKeys }
  | { kind: 'error'; row: CsvRow; errors: FieldErrors };

/** The keys rows claimed in earlier batches of this file: a key may appear on one row only. */
interface Seen {
  emails: Map<string, number>;
  taxNumbers: Map<string, number>;
}

class Importer {
  private readonly columns: { index: number; target: ImportTarget }[];
  private readonly seen: Seen = { emails: new Map(), taxNumbers: new Map() };
  /** For upsert by tax number: live clients by compact tax number ("PL 526-025" and "PL526025" are one). */
  private taxIndex = new Map<string, number[]>();

  constructor(
    private readonly em: EntityManager,
    private readonly actor: Actor,
    headers: string[],
    private readonly options: ImportOptions,
    private readonly lookups: Lookups,
  ) {
    this.columns = headers.flatMap((header, index) => {
      const target = options.mapping[header];
      return target ? [{ index, target }] : [];
    });
  }

  async loadTaxIndex(): Promise<void> {
    if (this.options.upsert !== 'taxNumber') return;
    const rows = await this.em
      .fork()
      .find(Client, { deletedAt: null, taxNumber: { $ne: null } }, { fields: ['id', 'taxNumber'] });
    for (const row of rows) this.indexTax(row.taxNumber, row.id);
  }

  private indexTax(taxNumber: string | null | undefined, id: number): void {
    const key = compactTax(taxNumber);
    if (key) this.taxIndex.set(key, [...(this.taxIndex.get(key) ?? []), id]);
  }

  /** Decides every row of a batch against the database as `tx` sees it; writes nothing. */
  private async plan(tx: EntityManager, rows: CsvRow[]): Promise<RowPlan[]> {
    const prepared = rows.map((row) => ({ row, ...rowValues(row.cells, this.columns, this.lookups) }));
    const emails = [...new Set(prepared.map(({ values }) => normalizeEmail(values.email)).filter(Boolean))];
    const owners = emails.length > 0 ? await tx.find(Client, { email: { $in: emails }, deletedAt: null }) : [];
    const ownerByEmail = new Map(owners.map((client) => [client.email ?? '', client]));
    const taxMatchIds = prepared.flatMap(({ values }) => this.taxIndex.get(compactTax(values.taxNumber)) ?? []);
    const taxMatches = new Map(
      (taxMatchIds.length > 0 ? await tx.find(Client, { id: { $in: taxMatchIds } }) : []).map((c) => [c.id, c]),
    );
    const claimed: Seen = { emails: new Map(this.seen.emails), taxNumbers: new Map(this.seen.taxNumbers) };

    return prepared.map(({ row, values, issues }) => {
      const email = normalizeEmail(values.email);
      const tax = compactTax(values.taxNumber);
      let match: ClientEntity | null = null;
      if (this.options.upsert === 'email' && email) match = ownerByEmail.get(email) ?? null;
      if (this.options.upsert === 'taxNumber' && tax) {
        const ids = this.taxIndex.get(tax) ?? [];
        if (ids.length > 1) {
          issues.push({
            path: ['taxNumber'],
            message: `Tax number ${String(values.taxNumber)} matches ${ids.length} clients (${ids.map((id) => `#${id}`).join(', ')}); there is no telling which to update.`,
          });
        } else if (ids[0] !== undefined) match = taxMatches.get(ids[0]) ?? null;
      }
      const parsed = clientRecordSchema.safeParse(match ? { ...recordOf(match), ...values } : values);
      if (!parsed.success) issues.push(...parsed.error.issues);
      const record = parsed.success ? parsed.data : null;
      if (record) {
        issues.push(
          ...checkClientReferences(
            record,
            record.categoryId === null ? null : this.lookups.categories.get(record.categoryId),
            record.subcategoryId === null ? null : this.lookups.subcategories.get(record.subcategoryId),
          ),
        );
        const owner = record.email ? ownerByEmail.get(record.email) : undefined;
        if (owner && owner.id !== match?.id) {
          issues.push(emailTakenIssue(record.email as string, owner));
        }
        const before = match?.loginAllowed ?? false;
        if (record.loginAllowed !== before && !can(this.actor.role, 'clients.portalAccess')) {
          issues.push({
            path: ['loginAllowed'],
            message: 'Only an administrator may change whether a client may sign in (Login allowed).',
          });
        }
      }
      const keys = { email: record?.email ?? '', tax: this.options.upsert === 'taxNumber' ? tax : '' };
      const earlierEmail = keys.email ? claimed.emails.get(keys.email) : undefined;
      if (earlierEmail !== undefined) issues.push(alsoOnRow('email', `E-mail ${keys.email}`, earlierEmail));
      const earlierTax = keys.tax ? claimed.taxNumbers.get(keys.tax) : undefined;
      if (earlierTax !== undefined) issues.push(alsoOnRow('taxNumber', `Tax number ${values.taxNumber}`, earlierTax));
      if (issues.length > 0 || !record) return { kind: 'error', row, errors: fieldErrorsFrom(issues) };
      claim(claimed, keys, row.row);
      if (!match) return { kind: 'create', row, keys, record };
      return Object.keys(diff(recordOf(match), record)).length === 0
        ? { kind: 'unchanged', row, keys }
        : { kind: 'update', row, keys, client: match, record };
    });
  }

  /**
   * Writes a batch's plans: each new or changed client with its event, all in the transaction `tx`. The new
   * clients go in with one INSERT, not through the unit of work: creating and flushing a thousand managed
   * entities per batch was most of an import's time. Answers the new clients' ids, in the plans' order.
   */
  private async apply(tx: EntityManager, record: RecordEvent, plans: RowPlan[]): Promise<number[]> {
    const creates = plans.filter((plan) => plan.kind === 'create');
    const now = new Date();
    const rows = creates.map((plan) => ({
      ...plan.record,
      ...searchColumns(plan.record),
      addedById: this.actor.id || null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    }));
    const inserted =
      rows.length > 0
        ? await tx.getDriver().nativeInsertMany(Client.meta.className, rows, { ctx: tx.getTransactionContext() })
        : { rows: [] };
    const ids = creates.map((_, index) => Number(inserted.rows?.[index]?.id));
    for (const [index, plan] of creates.entries()) {
      record({ clientId: ids[index] as number, type: 'client.created', changes: creationChanges(plan.record) });
    }
    for (const plan of plans) {
      if (plan.kind === 'update') {
        const changes = diff(recordOf(plan.client), plan.record);
        tx.assign(plan.client, { ...plan.record, ...searchColumns(plan.record) } as Partial<ClientEntity>);
        record({ clientId: plan.client.id, type: onlyStatus(changes) ? 'client.status' : 'client.updated', changes });
      }
    }
    return ids;
  }

  /** Plans and, in an import, writes one batch: all of it or, if the batch cannot commit, row by row. */
  async batch(rows: CsvRow[]): Promise<RowPlan[]> {
    if (this.options.mode === 'dry-run') return this.remember(await this.plan(this.em.fork(), rows));
    try {
      return this.remember(await this.commit(rows));
    } catch (error) {
      if (rows.length === 1) {
        const [row] = rows as [CsvRow];
        const reason = error instanceof Error ? error.message : String(error);
        return [{ kind: 'error', row, errors: { input: [`The row could not be saved: ${reason}`] } }];
      }
      // One row the database refuses must not cost the others: each goes alone, all-or-nothing per row.
      const plans: RowPlan[] = [];
      for (const row of rows) plans.push(...(await this.batch([row])));
      return plans;
    }
  }

  private async commit(rows: CsvRow[]): Promise<RowPlan[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { plans, created } = await writeWithEvents(this.em.fork(), this.actor, async (tx, record) => {
          const plans = await this.plan(tx, rows);
          return { plans, created: await this.apply(tx, record, plans) };
        });
        const creates = plans.filter((plan) => plan.kind === 'create');
        for (const [index, plan] of creates.entries()) this.indexTax(plan.record.taxNumber, created[index] as number);
        return plans;
      } catch (error) {
        if (!(error instanceof OptimisticLockError) || attempt >= 3) throw error;
      }
    }
  }

  /** Keys of rows that went through are taken for the rest of the file. */
  private remember(plans: RowPlan[]): RowPlan[] {
    for (const plan of plans) if (plan.kind !== 'error') claim(this.seen, plan.keys, plan.row.row);
    return plans;
  }
}

function claim(seen: Seen, keys: RowKeys, row: number): void {
  if (keys.email) seen.emails.set(keys.email, row);
  if (keys.tax) seen.taxNumbers.set(keys.tax, row);
}

function alsoOnRow(field: 'email' | 'taxNumber', what: string, row: number): Issue {
  return { path: [field], message: `${what} is also on row ${row} of this file; each client may appear only once.` };
}

/**
 * Imports (or, in a dry run, checks) every row of a CSV file whose shape inspectCsv already checked. Each row
 * is validated by the same rules as the card (the shared schema, the lookups, the unique e-mail, who may allow
 * sign-in), then created, or with `upsert` merged into the live client with the same e-mail or tax number.
 * Rows with errors are skipped and reported with every error by field. Rows go in batches of
 * IMPORT_BATCH_SIZE, each batch one transaction through the one write path (one event per created or changed
 * client). Yields the events the caller streams to the browser.
 */
export async function* importClients(
  em: EntityManager,
  actor: Actor,
  file: CsvFile,
  options: ImportOptions,
): AsyncGenerator<ImportEvent> {
  const counts: ImportCounts = { processed: 0, created: 0, updated: 0, unchanged: 0, skipped: 0 };
  const rows = file.rowCount;
  yield { type: 'start', mode: options.mode, rows, upsert: options.upsert, mapping: options.mapping };
  try {
    const importer = new Importer(em, actor, file.headers, options, await loadLookups(em.fork()));
    await importer.loadTaxIndex();
    let pending: CsvRow[] = [];
    const run = async function* (batch: CsvRow[]): AsyncGenerator<ImportEvent> {
      for (const plan of await importer.batch(batch)) {
        counts.processed++;
        if (plan.kind === 'error') {
          counts.skipped++;
          yield { type: 'rowError', row: plan.row.row, line: plan.row.line, errors: plan.errors };
        } else if (plan.kind === 'create') counts.created++;
        else if (plan.kind === 'update') counts.updated++;
        else counts.unchanged++;
      }
      yield { type: 'progress', rows, ...counts };
    };
    for await (const row of csvRows(file.text, file.delimiter)) {
      if (row.row === 0) continue;
      pending.push(row);
      if (pending.length === IMPORT_BATCH_SIZE) {
        yield* run(pending);
        pending = [];
      }
    }
    if (pending.length > 0) yield* run(pending);
    if (options.mode === 'import' && counts.created + counts.updated > 0) await refreshQueryStatistics(em.fork());
    yield { type: 'done', rows, ...counts };
  } catch (error) {
    log.error({ err: error }, 'A CSV import failed');
    yield {
      type: 'failed',
      rows,
      ...counts,
      message: 'The import stopped because of an error on the server; the rows counted so far are in.',
    };
  }
}
