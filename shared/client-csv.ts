import { EDITABLE_CLIENT_FIELDS, type EditableClientField, FIELD_LABELS } from './client-fields';
import type { FieldErrors } from './field-errors';
import type { Locale, Localized } from './locale';

/**
 * The CSV export and import of clients, as the browser sees them:
 * - `GET /api/clients.csv?<the list's URL parameters>[&lang=pl]` downloads the filtered list.
 * - `POST /api/clients/import?mode=preview|dry-run|import[&upsert=none|email|taxNumber][&mapping=<JSON>]` with
 *   the file as the body (text/csv or text/plain, e.g. pasted text) or as the part `file` of a
 *   multipart/form-data body, at most IMPORT_MAX_BYTES. `preview` answers ImportPreview (JSON); `dry-run` and
 *   `import` answer a stream of ImportEvent, one JSON object per line (application/x-ndjson), as they go.
 * Refusals are JSON `{ error: { code, message, field } }` with a CsvErrorCode; the browser words the code in
 * the user's language (csvErrorMessage).
 */

export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;
export const IMPORT_MODES = ['preview', 'dry-run', 'import'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** Update the existing live client whose e-mail (or tax number) matches a row, instead of adding a duplicate. */
export const UPSERT_KEYS = ['none', 'email', 'taxNumber'] as const;
export type UpsertKey = (typeof UPSERT_KEYS)[number];

/** What a CSV column can fill: a client field, or a category or sub-category given by its name. */
export type ImportTarget = EditableClientField | 'category' | 'subcategory';

export const IMPORT_TARGETS: readonly ImportTarget[] = [...EDITABLE_CLIENT_FIELDS, 'category', 'subcategory'];

/** Each target's name in the UI: a field's label; a category by name is worded "Category" like its field. */
export const IMPORT_TARGET_LABELS: Record<ImportTarget, Localized> = {
  ...FIELD_LABELS,
  categoryId: { en: 'Category ID', pl: 'Kategoria (ID)' },
  subcategoryId: { en: 'Sub-category ID', pl: 'Podkategoria (ID)' },
  category: FIELD_LABELS.categoryId,
  subcategory: FIELD_LABELS.subcategoryId,
};

/** Column header -> what it fills, or null for a column left out. */
export type ImportMapping = Record<string, ImportTarget | null>;

export interface ImportPreview {
  headers: string[];
  /** The suggested mapping: headers recognized by their English or Polish name (or the API field's name). */
  mapping: ImportMapping;
  /** Every target a column may be mapped to. */
  targets: ImportTarget[];
  /** The first rows, as text, for the mapping step. */
  rows: string[][];
  /** Data rows in the file (the header excluded; empty lines skipped). */
  rowCount: number;
  delimiter: string;
}

export interface ImportCounts {
  /** Rows handled so far (each one created, updated, unchanged or skipped). */
  processed: number;
  created: number;
  updated: number;
  /** Rows that matched a client already holding exactly those values. */
  unchanged: number;
  /** Rows with errors: not imported. */
  skipped: number;
}

/** In a dry run the counts say what an import would do; nothing is written. */
export type ImportEvent =
  | { type: 'start'; mode: 'dry-run' | 'import'; rows: number; upsert: UpsertKey; mapping: ImportMapping }
  /** A row that was (or would be) skipped, with every error by field. `line` is the file's line it starts on. */
  | { type: 'rowError'; row: number; line: number; errors: FieldErrors }
  | ({ type: 'progress'; rows: number } & ImportCounts)
  | ({ type: 'done'; rows: number } & ImportCounts)
  /** Something broke on the server mid-way: the batches reported by `progress` before it are imported. */
  | ({ type: 'failed'; message: string; rows: number } & ImportCounts);

/**
 * Why a CSV request was refused, with the HTTP status and the words in every UI language. `{field}` in an
 * error's `field` names the request parameter at fault (mode, upsert, mapping, file, lang) or a list filter.
 */
const CSV_ERRORS = {
  CSRF: {
    status: 403,
    en: 'Missing the x-kartoteka-csrf header: requests must come from the app.',
    pl: 'Brak nagłówka x-kartoteka-csrf: żądania muszą pochodzić z aplikacji.',
  },
  UNAUTHORIZED: { status: 401, en: 'Sign in first.', pl: 'Najpierw się zaloguj.' },
  FORBIDDEN: {
    status: 403,
    en: 'Your role ({role}) may not do this ({permission}).',
    pl: 'Twoja rola ({role}) nie pozwala na to ({permission}).',
  },
  BAD_PARAMETER: { status: 400, en: '{detail}', pl: '{detail}' },
  NOT_CSV: {
    status: 415,
    en: 'Send the file as text/csv (or text/plain), or as the part "file" of a multipart/form-data upload.',
    pl: 'Wyślij plik jako text/csv (lub text/plain) albo jako część „file” przesyłki multipart/form-data.',
  },
  TOO_LARGE: {
    status: 413,
    en: 'The file is larger than {limit}; split it into smaller files.',
    pl: 'Plik jest większy niż {limit}; podziel go na mniejsze pliki.',
  },
  EMPTY: { status: 400, en: 'The file is empty.', pl: 'Plik jest pusty.' },
  BINARY: {
    status: 415,
    en: 'This is not a CSV text file{hint}. Save it as "CSV UTF-8 (comma delimited)" and try again.',
    pl: 'To nie jest plik tekstowy CSV{hint}. Zapisz go jako „CSV UTF-8 (rozdzielany przecinkami)” i spróbuj ponownie.',
  },
  ENCODING: {
    status: 415,
    en: 'The file is not UTF-8 text ({detail}). Save it as "CSV UTF-8" and try again.',
    pl: 'Plik nie jest tekstem UTF-8 ({detail}). Zapisz go jako „CSV UTF-8” i spróbuj ponownie.',
  },
  MALFORMED: {
    status: 400,
    en: 'The file is not valid CSV at line {line}: {detail}',
    pl: 'Plik nie jest poprawnym CSV w wierszu {line}: {detail}',
  },
  NO_ROWS: {
    status: 400,
    en: 'The file has a header but no rows of clients.',
    pl: 'Plik ma nagłówek, ale nie ma wierszy z klientami.',
  },
  DUPLICATE_HEADER: {
    status: 400,
    en: 'The column "{header}" appears more than once in the header; give each column its own name.',
    pl: 'Kolumna „{header}” występuje w nagłówku więcej niż raz; nadaj każdej kolumnie własną nazwę.',
  },
  RAGGED: {
    status: 400,
    en: '{count} row(s) do not have as many fields as the header ({expected}), e.g. line {line} has {actual}. Check for a missing quote or an extra delimiter.',
    pl: 'Wiersze ({count}) mają inną liczbę pól niż nagłówek ({expected}), np. wiersz {line} ma {actual}. Sprawdź, czy nie brakuje cudzysłowu lub nie ma nadmiarowego separatora.',
  },
  MAPPING_NOT_JSON: {
    status: 400,
    en: 'The mapping must be a JSON object from column header to field name (or null to leave the column out).',
    pl: 'Przypisanie kolumn musi być obiektem JSON: nagłówek kolumny -> nazwa pola (lub null, by pominąć kolumnę).',
  },
  MAPPING_UNKNOWN_HEADER: {
    status: 400,
    en: 'The mapping names the column "{header}", which the file does not have.',
    pl: 'Przypisanie wymienia kolumnę „{header}”, której nie ma w pliku.',
  },
  MAPPING_UNKNOWN_TARGET: {
    status: 400,
    en: 'The column "{header}" is mapped to "{value}", which is not a client field.',
    pl: 'Kolumnę „{header}” przypisano do „{value}”, które nie jest polem klienta.',
  },
  MAPPING_TWICE: {
    status: 400,
    en: 'The columns "{header}" and "{other}" both fill {target}; leave one of them out.',
    pl: 'Kolumny „{header}” i „{other}” obie wypełniają pole „{target}”; pomiń jedną z nich.',
  },
  MAPPING_BOTH: {
    status: 400,
    en: 'The columns "{header}" and "{other}" both give the {target}, one by name and one by ID; leave one out.',
    pl: 'Kolumny „{header}” i „{other}” obie podają pole „{target}”, jedna nazwą, druga identyfikatorem; pomiń jedną.',
  },
  MAPPING_NO_NAME: {
    status: 400,
    en: 'No column fills {target}, which every client needs: map one.',
    pl: 'Żadna kolumna nie wypełnia pola „{target}”, wymaganego dla każdego klienta: przypisz jedną.',
  },
  MAPPING_UPSERT_KEY: {
    status: 400,
    en: 'Updating existing clients by {target} needs a column that fills {target}.',
    pl: 'Aktualizacja istniejących klientów według pola „{target}” wymaga kolumny, która je wypełnia.',
  },
} as const satisfies Record<string, Localized & { status: number }>;

export type CsvErrorCode = keyof typeof CSV_ERRORS;
export type CsvErrorParams = Record<string, string | number>;

/** The body of a refused CSV request; `params` fill the code's words (absent for errors without a CsvErrorCode). */
export interface CsvRefusal {
  error: {
    code: string;
    message: string;
    field: string | null;
    params?: CsvErrorParams;
    fieldErrors?: FieldErrors;
  };
}

export function isCsvErrorCode(code: string): code is CsvErrorCode {
  return Object.hasOwn(CSV_ERRORS, code);
}

export function csvErrorStatus(code: CsvErrorCode): number {
  return CSV_ERRORS[code].status;
}

/** `target` params are field names (e.g. taxNumber), worded here as the field's label in the locale. */
export function csvErrorMessage(code: CsvErrorCode, params: CsvErrorParams, locale: Locale): string {
  return CSV_ERRORS[code][locale].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return name === 'target' ? (IMPORT_TARGET_LABELS[value as ImportTarget]?.[locale] ?? String(value)) : String(value);
  });
}
