/**
 * The client list at 100,000 clients (issue 3), on a fresh SQLite file:
 * 1. imports 100,000 realistic clients from a CSV through the real import (timed: that is the import figure);
 * 2. gives them projects and contracts through the one write path, and spreads their creation dates;
 * 3. times clients.list through the real service for a representative set of queries, and in the same run the
 *    same SQL statements issued straight to the database, and prints p50/p95 of each and the ratio;
 * 4. streams the whole CSV export and records how much memory it took.
 * BENCH_CLIENTS (default 100000) and BENCH_RUNS (default 60) make a smaller, quicker run; BENCH_KEEP=1 keeps
 * the database file (its path is printed) to look into query plans afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EntityManager } from '@mikro-orm/knex';
import { stringify } from 'csv-stringify/sync';
import sqlite3 from 'sqlite3';
import { writeWithEvents } from '../server/activity/write-path';
import { SYSTEM_ACTOR } from '../server/auth/actor';
import { CSV_HEADERS, csvStringifier, exportedClients } from '../server/clients/csv';
import { Client } from '../server/clients/entity';
import { importClients } from '../server/clients/import';
import { inspectCsv, suggestMapping } from '../server/clients/import-file';
import { listStatements, refreshQueryStatistics } from '../server/clients/search';
import { listClients } from '../server/clients/service';
import { buildDemoClients, DEMO_CATEGORIES, DEMO_CONTRACT_TYPES } from '../server/db/demo-data';
import { openDatabase } from '../server/db/orm';
import type { Sql } from '../server/db/sql';
import { ClientCategory, ClientSubcategory, ContractType, Project } from '../server/lookups/entity';
import { insertContract, insertProject } from '../server/projects/service';
import { type ClientListInput, clientListInputSchema } from '../shared/client-schema';
import { type BenchResult, type BenchRow, percentile, round, timeMs } from './report';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const WARMUP = 5;
const PAGE_TARGET_MS = 20;
const RATIO_TARGET = 2;
// One batch of 1,000 rows in flight, with its CSV text, is a few MB; all 100,000 rows would be hundreds.
const EXPORT_HEAP_TARGET_MB = 32;
const actor = SYSTEM_ACTOR;

interface Lookups {
  categoryIds: Map<string, number>;
  subcategoryIds: Map<string, number>;
  contractTypeIds: number[];
}

async function seedLookups(em: EntityManager): Promise<Lookups> {
  const lookups: Lookups = { categoryIds: new Map(), subcategoryIds: new Map(), contractTypeIds: [] };
  for (const [name, subcategories] of Object.entries(DEMO_CATEGORIES)) {
    const category = em.create(ClientCategory, { name });
    await em.flush();
    lookups.categoryIds.set(name, category.id);
    for (const subName of subcategories) {
      const sub = em.create(ClientSubcategory, { categoryId: category.id, name: subName });
      await em.flush();
      lookups.subcategoryIds.set(`${name}/${subName}`, sub.id);
    }
  }
  for (const name of DEMO_CONTRACT_TYPES) {
    const type = em.create(ContractType, { name });
    await em.flush();
    lookups.contractTypeIds.push(type.id);
  }
  return lookups;
}

const CSV_FIELDS = [
  'salutation',
  'name',
  'email',
  'country',
  'mobile',
  'gender',
  'language',
  'category',
  'subcategory',
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
] as const;

/** `count` realistic clients (the demo data's generator, many seeds), as a CSV file with English headers. */
function clientsCsv(count: number): Buffer {
  const rows: unknown[][] = [];
  for (let seed = 1; rows.length < count; seed++) {
    for (const demo of buildDemoClients(seed)) {
      if (rows.length >= count) break;
      // Seeds repeat names and addresses, never e-mails: the e-mail must stay unique.
      const record = { ...demo.record, email: String(demo.record.email ?? '').replace('@', `.${seed}@`) };
      const values: Record<string, unknown> = { ...record, category: demo.category, subcategory: demo.subcategory };
      rows.push(CSV_FIELDS.map((field) => values[field] ?? ''));
    }
  }
  const header = CSV_FIELDS.map((field) => CSV_HEADERS[field].en);
  return Buffer.from(stringify([header, ...rows], { cast: { boolean: (value) => String(value) } }));
}

/** Imports the file through the real import (dry run off, no upsert); answers the seconds it took. */
async function importFile(em: () => EntityManager, csv: Buffer): Promise<{ seconds: number; created: number }> {
  const start = performance.now();
  const file = await inspectCsv(csv);
  const options = { mode: 'import' as const, upsert: 'none' as const, mapping: suggestMapping(file.headers) };
  let created = 0;
  for await (const event of importClients(em(), actor, file, options)) {
    if (event.type === 'failed') throw new Error(event.message);
    if (event.type === 'rowError') throw new Error(`Row ${event.row}: ${JSON.stringify(event.errors)}`);
    if (event.type === 'done') created = event.created;
  }
  return { seconds: (performance.now() - start) / 1000, created };
}

/**
 * BENCH SEEDING ONLY: an import stamps every client "now"; a real list was filled over years. Spreads the
 * creation dates over three years with one UPDATE, straight to the database (no events: nothing here is a
 * user's change).
 */
async function benchOnlySpreadCreationDates(em: EntityManager): Promise<void> {
  const end = Date.UTC(2026, 10, 1);
  const span = 3 * 365 * 24 * 3600_000;
  await em.execute(`update client set created_at = ${end} - ((id * 7919) % 1000003) * ${Math.floor(span / 1000003)}`);
}

/** Projects for about a fifth of the clients and contracts for about a third, through the one write path. */
async function seedProjectsAndContracts(em: () => EntityManager, lookups: Lookups): Promise<void> {
  const ids = (await em().find(Client, {}, { fields: ['id'], orderBy: { id: 'asc' } })).map((client) => client.id);
  for (let start = 0; start < ids.length; start += 2000) {
    await writeWithEvents(em(), actor, async (tx, record) => {
      for (const id of ids.slice(start, start + 2000)) {
        if (id % 5 === 0) await insertProject(tx, record, id, `Project ${id % 40}`);
        if (id % 3 === 0) {
          const typeId = lookups.contractTypeIds[id % lookups.contractTypeIds.length] ?? 0;
          await insertContract(tx, record, id, { typeId, subject: 'Framework contract' });
        }
      }
    });
  }
}

/** A plain sqlite3 connection to the same file, set up like the app's, for the direct-SQL baseline. */
function openDirect(path: string): { all(statement: Sql): Promise<unknown[]>; close(): Promise<void> } {
  const db = new sqlite3.Database(path, sqlite3.OPEN_READONLY);
  // The same page cache as the app's connection (mikro-orm.config.ts).
  db.exec('PRAGMA cache_size = -65536');
  return {
    all: ({ sql, params }) =>
      new Promise((resolve, reject) => db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows)))),
    close: () => new Promise((resolve, reject) => db.close((error) => (error ? reject(error) : resolve()))),
  };
}

async function representativeQueries(em: EntityManager, lookups: Lookups): Promise<[string, ClientListInput][]> {
  const sample = await em.findOneOrFail(Client, { id: Math.floor(CLIENTS / 2) });
  const surname = (sample.name.split(' ').at(-1) ?? 'kowal').slice(0, 6);
  const taxDigits = (sample.taxNumber ?? '1234567').replace(/\D/g, '').slice(1, 7);
  const [category, subcategories] = Object.entries(DEMO_CATEGORIES)[1] ?? ['', []];
  const categoryId = lookups.categoryIds.get(category) ?? 0;
  const subcategoryId = lookups.subcategoryIds.get(`${category}/${subcategories[0]}`) ?? 0;
  const project = await em.findOneOrFail(Project, { clientId: { $gt: CLIENTS / 2 } });
  const page = { pageSize: 50 } as const;
  return [
    ['plain page (newest first)', { ...page }],
    [`search: surname "${surname}"`, { ...page, search: surname }],
    ['search: company word "logistics"', { ...page, search: 'logistics' }],
    ['search: 2 letters "no"', { ...page, search: 'no' }],
    [`search: tax digits "${taxDigits}"`, { ...page, search: taxDigits }],
    ['filter: status inactive', { ...page, status: 'inactive' }],
    ['filter: category', { ...page, categoryId }],
    ['filter: category + sub-category', { ...page, categoryId, subcategoryId }],
    ['filter: project', { ...page, projectId: project.id }],
    ['filter: contract type', { ...page, contractTypeId: lookups.contractTypeIds[0] }],
    ['filter: country DE', { ...page, country: 'DE' }],
    ['filter: created in one month', { ...page, createdFrom: '2025-03-01', createdTo: '2025-03-31' }],
    ['combined: active + PL + category', { ...page, status: 'active', country: 'PL', categoryId }],
    [
      'combined: search + inactive, by name',
      { ...page, search: 'solutions', status: 'inactive', sort: 'name', direction: 'asc' },
    ],
    ['sort: name asc', { ...page, sort: 'name', direction: 'asc' }],
    ['sort: name desc', { ...page, sort: 'name', direction: 'desc' }],
    ['sort: e-mail asc', { ...page, sort: 'email', direction: 'asc' }],
    ['sort: status desc', { ...page, sort: 'status', direction: 'desc' }],
    ['sort: created-at asc', { ...page, sort: 'createdAt', direction: 'asc' }],
    ['sort: company asc', { ...page, sort: 'companyName', direction: 'asc' }],
    ['sort: country desc', { ...page, sort: 'country', direction: 'desc' }],
    [
      `deep page: ${Math.floor(CLIENTS / 50) - 1} by name`,
      { ...page, sort: 'name', direction: 'asc', page: Math.floor(CLIENTS / 50) - 1 },
    ],
    [`deep page: ${Math.floor(CLIENTS / 50) - 1} newest first`, { ...page, page: Math.floor(CLIENTS / 50) - 1 }],
  ];
}

async function timeQuery(
  em: () => EntityManager,
  direct: ReturnType<typeof openDirect>,
  input: ClientListInput,
): Promise<{ service: number[]; sql: number[]; total: number }> {
  const query = clientListInputSchema.parse(input);
  const { count, page } = await listStatements(em(), actor, query);
  const statements = [count, page];
  const service: number[] = [];
  const sql: number[] = [];
  let total = 0;
  for (let run = -WARMUP; run < RUNS; run++) {
    // Interleaved, so a noisy moment on a shared machine hits both sides alike.
    const viaService = await timeMs(async () => {
      total = (await listClients(em(), actor, clientListInputSchema.parse(input))).total;
    });
    const viaSql = await timeMs(async () => {
      for (const statement of statements) await direct.all(statement);
    });
    if (run >= 0) {
      service.push(viaService);
      sql.push(viaSql);
    }
  }
  return { service, sql, total };
}

/**
 * Streams the whole export into nothing, twice. Timed first, sampling the process RSS (which also holds SQLite's
 * page cache, up to 64 MB, filled by reading the whole table). Then again for the JS heap the export keeps alive
 * (rows in flight): sampled after a full GC (the bench runs with --expose-gc), as heapUsed without one mostly
 * counts garbage V8 has not yet collected. The second pass's own time is not reported: the GCs slow it.
 */
async function exportAll(
  em: EntityManager,
): Promise<{ seconds: number; megabytes: number; heapMb: number; rssMb: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const stream = async (sample: () => void, everyMs: number) => {
    const sampler = setInterval(sample, everyMs);
    let bytes = 0;
    const { rows } = await exportedClients(em, actor, clientListInputSchema.parse({ sort: 'name', direction: 'asc' }));
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    });
    await pipeline(Readable.from(rows), csvStringifier('en'), sink);
    clearInterval(sampler);
    return bytes;
  };
  const mb = (value: number) => value / 1024 / 1024;

  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  const began = performance.now();
  const bytes = await stream(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 5);
  const seconds = (performance.now() - began) / 1000;

  gc?.();
  const startHeap = process.memoryUsage().heapUsed;
  let peakHeap = startHeap;
  await stream(() => {
    gc?.();
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 250);
  return { seconds, megabytes: mb(bytes), heapMb: mb(peakHeap - startHeap), rssMb: mb(peakRss - startRss) };
}

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kartoteka-bench-'));
  const sqlitePath = join(dir, 'bench.sqlite');
  const orm = await openDatabase({ sqlitePath });
  const em = () => orm.em.fork() as EntityManager;
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  try {
    const lookups = await seedLookups(em());
    console.log(`Generating ${CLIENTS.toLocaleString('en')} clients as CSV...`);
    const csv = clientsCsv(CLIENTS);
    console.log(`Importing ${(csv.length / 1024 / 1024).toFixed(1)} MB through the import...`);
    const imported = await importFile(em, csv);
    rows.push({
      measure: `import ${CLIENTS.toLocaleString('en')} CSV rows`,
      value: `${imported.seconds.toFixed(1)} s (${Math.round(imported.created / imported.seconds).toLocaleString('en')} rows/s)`,
      target: '< 60 s',
      met: imported.seconds < 60,
    });
    console.log(`Imported ${imported.created} in ${imported.seconds.toFixed(1)} s. Seeding projects and contracts...`);
    await benchOnlySpreadCreationDates(em());
    await seedProjectsAndContracts(em, lookups);
    // What the app does at start-up: a restart after this seeding would see these statistics.
    await refreshQueryStatistics(em());

    const direct = openDirect(sqlitePath);
    try {
      for (const [measure, input] of await representativeQueries(em(), lookups)) {
        const { service, sql, total } = await timeQuery(em, direct, input);
        const [p50, p95, baselineP50, baselineP95] = [
          percentile(service, 50),
          percentile(service, 95),
          percentile(sql, 50),
          percentile(sql, 95),
        ];
        rows.push({
          measure: `${measure} [${total.toLocaleString('en')}]`,
          p50: round(p50),
          p95: round(p95),
          baselineP50: round(baselineP50),
          baselineP95: round(baselineP95),
          ratio: round(p50 / baselineP50),
          ratioP95: round(p95 / baselineP95),
          target: `p95 < ${PAGE_TARGET_MS} ms, <= ${RATIO_TARGET}x`,
          met: p95 < PAGE_TARGET_MS && p50 / baselineP50 <= RATIO_TARGET,
        });
        console.log(`${measure}: p95 ${p95.toFixed(2)} ms (SQL ${baselineP95.toFixed(2)} ms), ${total} matching`);
      }
    } finally {
      await direct.close();
    }

    const exported = await exportAll(em());
    rows.push({
      measure: `CSV export of ${CLIENTS.toLocaleString('en')} clients`,
      value: `${exported.seconds.toFixed(1)} s, ${exported.megabytes.toFixed(0)} MB streamed, live heap +${exported.heapMb.toFixed(0)} MB (sampled after full GCs), RSS +${exported.rssMb.toFixed(0)} MB`,
      target: `live heap growth < ${EXPORT_HEAP_TARGET_MB} MB`,
      met: exported.heapMb < EXPORT_HEAP_TARGET_MB,
    });
    notes.push(
      `${CLIENTS.toLocaleString('en')} clients on SQLite (WAL), pages of 50, ${RUNS} timed runs per query after ${WARMUP} warm-up runs; [n] = matching clients.`,
      'p50/p95: clients.list through the service (input parsing, query building, row mapping); direct: the same two SQL statements (count, page) on a plain sqlite3 connection. ratio p50 = p50 / direct p50, the steady cost ("met" uses it); ratio p95 = p95 / direct p95, where sub-millisecond p95s on a shared machine are mostly GC and scheduling noise.',
    );
  } finally {
    await orm.close(true);
    if (process.env.BENCH_KEEP === '1') console.log(`Kept the database: ${sqlitePath}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  return { bench: 'list', rows, notes };
}
