import { type CsvError, type Info, parse } from 'csv-parse';
import {
  type CsvErrorCode,
  type CsvErrorParams,
  csvErrorMessage,
  csvErrorStatus,
  IMPORT_TARGETS,
  type ImportMapping,
  type ImportTarget,
  type UpsertKey,
} from '../../shared/client-csv';
import { foldForSearch } from '../../shared/fold';
import { CSV_COLUMNS, CSV_HEADERS } from './csv';

/** A CSV request refused for a reason shared/client-csv.ts words in every UI language; the API answers in English. */
export class CsvRequestError extends Error {
  readonly status: number;

  constructor(
    readonly code: CsvErrorCode,
    readonly field: string | null,
    readonly params: CsvErrorParams = {},
  ) {
    super(csvErrorMessage(code, params, 'en'));
    this.status = csvErrorStatus(code);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Zip (and so .xlsx, .ods, .docx) and PDF, the files most often picked instead of a CSV. */
function binaryHint(bytes: Buffer): string {
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1')))
    return ' (it looks like an Excel or other office file)';
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return ' (it is a PDF)';
  return '';
}

/**
 * The file's text: UTF-8, with or without a BOM. UTF-16 (what "Unicode text" means in Excel), other 8-bit
 * encodings (Windows-1250, ISO-8859-2) and binary files are refused with a clear reason instead of being read
 * as garbage.
 */
export function decodeCsv(bytes: Buffer): string {
  if (bytes.length === 0) throw new CsvRequestError('EMPTY', 'file');
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new CsvRequestError('ENCODING', 'file', { detail: 'it is UTF-16 ("Unicode text")' });
  }
  const hint = binaryHint(bytes);
  if (hint || bytes.includes(0)) throw new CsvRequestError('BINARY', 'file', { hint });
  try {
    // The decoder drops a UTF-8 BOM.
    return utf8.decode(bytes);
  } catch {
    const lossy = bytes.toString('utf8');
    const line = lossy.slice(0, lossy.indexOf('\uFFFD')).split('\n').length;
    throw new CsvRequestError('ENCODING', 'file', {
      detail: `line ${line} has bytes that are not UTF-8, e.g. from Windows-1250 or ISO-8859-2`,
    });
  }
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The header line's most frequent delimiter outside quotes: Excel in Polish saves CSV with semicolons. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of text.slice(0, 64 * 1024)) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const delimiter of DELIMITERS) if ((counts.get(delimiter) ?? 0) > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}

export interface CsvRow {
  /** 1-based number of the data row (the header is row 0). */
  row: number;
  /** The file line the row starts on (quoted fields may span lines). */
  line: number;
  cells: string[];
}

const isBlank = (cells: string[]) => cells.every((cell) => cell.trim() === '');

/**
 * The data rows, parsed as they are read (at most one in memory at a time): RFC 4180 quoting, any of the usual
 * delimiters, blank lines and rows of empty cells skipped (spreadsheets add them at the end).
 */
export async function* csvRows(text: string, delimiter: string): AsyncGenerator<CsvRow> {
  const parser = parse(text, { delimiter, relax_column_count: true, info: true, skip_empty_lines: true });
  let row = -1;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      if (row >= 0 && isBlank(record)) continue;
      row++;
      // csv-parse counts the line a record ends on; a quoted field may hold line breaks.
      const breaks = record.reduce((sum, cell) => sum + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
      yield { row, line: info.lines - breaks, cells: record };
    }
  } catch (error) {
    const csvError = error as CsvError;
    if (typeof csvError.code !== 'string' || !csvError.code.startsWith('CSV_')) throw error;
    const line = (csvError as CsvError & { lines?: number }).lines ?? 0;
    throw new CsvRequestError('MALFORMED', 'file', {
      line,
      detail: csvError.message,
    });
  }
}

export interface CsvFile {
  text: string;
  delimiter: string;
  headers: string[];
  rowCount: number;
  /** The first rows, for a preview. */
  firstRows: string[][];
}

const PREVIEW_ROWS = 10;

/**
 * Reads the whole file once to check its shape before anything is imported: a header of unique names, at
 * least one row, every row as wide as the header. What is wrong is reported for the file as a whole.
 */
export async function inspectCsv(bytes: Buffer): Promise<CsvFile> {
  const text = decodeCsv(bytes);
  const delimiter = detectDelimiter(text);
  let headers: string[] | null = null;
  const firstRows: string[][] = [];
  const ragged: { line: number; actual: number }[] = [];
  let rowCount = 0;
  for await (const { cells, line } of csvRows(text, delimiter)) {
    if (!headers) {
      headers = cells.map((cell, index) => cell.trim() || `Column ${index + 1}`);
      continue;
    }
    rowCount++;
    if (cells.length !== headers.length) ragged.push({ line, actual: cells.length });
    if (firstRows.length < PREVIEW_ROWS) firstRows.push(cells);
  }
  if (!headers) throw new CsvRequestError('EMPTY', 'file');
  const seen = new Set<string>();
  for (const header of headers) {
    if (seen.has(header)) throw new CsvRequestError('DUPLICATE_HEADER', 'file', { header });
    seen.add(header);
  }
  if (rowCount === 0) throw new CsvRequestError('NO_ROWS', 'file');
  const [first] = ragged;
  if (first) {
    throw new CsvRequestError('RAGGED', 'file', {
      count: ragged.length,
      expected: headers.length,
      line: first.line,
      actual: first.actual,
    });
  }
  return { text, delimiter, headers, rowCount, firstRows };
}

// --- Mapping ------------------------------------------------------------------------------------------

const normalizeHeader = (header: string) => foldForSearch(header).replace(/[^a-z0-9]/g, '');

/** Other names people give these columns, in English and Polish (the export's own headers are known anyway). */
const HEADER_ALIASES: Partial<Record<ImportTarget, string[]>> = {
  name: ['name', 'client', 'client name', 'klient', 'nazwa klienta', 'imię i nazwisko', 'osoba'],
  email: ['mail', 'e-mail address', 'email address', 'adres e-mail', 'adres email'],
  mobile: ['mobile', 'phone', 'telefon', 'komórka', 'tel. komórkowy'],
  companyName: ['company', 'firma', 'organization', 'organizacja'],
  taxNumber: ['nip', 'vat', 'vat number', 'vat id', 'tax id', 'numer nip', 'numer vat'],
  postalCode: ['zip', 'zip code', 'postcode', 'kod'],
  website: ['website', 'www', 'strona', 'strona www', 'url'],
  country: ['kraj', 'country code'],
  category: ['kategoria'],
  subcategory: ['podkategoria', 'subcategory'],
};

/** Known header (normalized) -> the CSV column it is; columns the import cannot fill map to null. */
const KNOWN_HEADERS: Map<string, ImportTarget | null> = (() => {
  const known = new Map<string, ImportTarget | null>();
  const importable = new Set<string>(IMPORT_TARGETS);
  for (const column of CSV_COLUMNS) {
    const target = importable.has(column) ? (column as ImportTarget) : null;
    for (const name of [column, CSV_HEADERS[column].en, CSV_HEADERS[column].pl])
      known.set(normalizeHeader(name), target);
  }
  for (const [target, aliases] of Object.entries(HEADER_ALIASES)) {
    for (const alias of aliases) {
      if (!known.has(normalizeHeader(alias))) known.set(normalizeHeader(alias), target as ImportTarget);
    }
  }
  return known;
})();

// A lookup given both by name and by id: the name wins (it means the same in any database), the id is left out.
const BY_NAME_AND_ID = [
  ['category', 'categoryId'],
  ['subcategory', 'subcategoryId'],
] as const;

/** The mapping the preview suggests: each header recognized by its English or Polish name or its API name. */
export function suggestMapping(headers: string[]): ImportMapping {
  const mapping: ImportMapping = {};
  const taken = new Set<ImportTarget>();
  for (const header of headers) {
    const target = KNOWN_HEADERS.get(normalizeHeader(header)) ?? null;
    mapping[header] = target && !taken.has(target) ? target : null;
    if (target) taken.add(target);
  }
  for (const [byName, byId] of BY_NAME_AND_ID) {
    if (taken.has(byName) && taken.has(byId)) {
      for (const header of headers) if (mapping[header] === byId) mapping[header] = null;
    }
  }
  return mapping;
}

/** Reads the `mapping` parameter: JSON, header -> target or null; headers it leaves out are not imported. */
export function parseMapping(json: string): ImportMapping {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new CsvRequestError('MAPPING_NOT_JSON', 'mapping');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CsvRequestError('MAPPING_NOT_JSON', 'mapping');
  }
  const mapping: ImportMapping = {};
  for (const [header, target] of Object.entries(value)) {
    if (target !== null && !(IMPORT_TARGETS as readonly unknown[]).includes(target)) {
      throw new CsvRequestError('MAPPING_UNKNOWN_TARGET', 'mapping', { header, value: String(target).slice(0, 60) });
    }
    mapping[header] = target as ImportTarget | null;
  }
  return mapping;
}

/** A mapping the import can run: headers of this file, each target at most once, a name, the upsert key. */
export function checkMapping(mapping: ImportMapping, headers: string[], upsert: UpsertKey): void {
  const byTarget = new Map<ImportTarget, string>();
  for (const [header, target] of Object.entries(mapping)) {
    if (!headers.includes(header)) throw new CsvRequestError('MAPPING_UNKNOWN_HEADER', 'mapping', { header });
    if (!target) continue;
    const other = byTarget.get(target);
    if (other) throw new CsvRequestError('MAPPING_TWICE', 'mapping', { header: other, other: header, target });
    byTarget.set(target, header);
  }
  for (const [byName, byId] of BY_NAME_AND_ID) {
    const [header, other] = [byTarget.get(byName), byTarget.get(byId)];
    if (header && other) throw new CsvRequestError('MAPPING_BOTH', 'mapping', { header, other, target: byName });
  }
  if (!byTarget.has('name')) throw new CsvRequestError('MAPPING_NO_NAME', 'mapping', { target: 'name' });
  if (upsert !== 'none' && !byTarget.has(upsert)) {
    throw new CsvRequestError('MAPPING_UPSERT_KEY', 'mapping', { target: upsert });
  }
}
