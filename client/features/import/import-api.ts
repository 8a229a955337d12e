import {
  type CsvRefusal,
  csvErrorMessage,
  IMPORT_MAX_BYTES,
  type ImportEvent,
  type ImportMapping,
  type ImportPreview,
  isCsvErrorCode,
  type UpsertKey,
} from '../../../shared/client-csv';
import type { Locale } from '../../../shared/locale';

/** The browser's side of POST /api/clients/import (its contract is in shared/client-csv.ts). */

/** What is imported: a picked file (sent as a multipart upload) or pasted text (sent as text/csv). */
export type ImportSource = { file: File } | { text: string };

/** A refusal, already worded in the user's language. */
export class ImportRefused extends Error {}

function request(source: ImportSource, params: URLSearchParams, locale: Locale): Promise<Response> {
  if ('file' in source && source.file.size > IMPORT_MAX_BYTES) {
    // The server refuses it too, but only after the browser has started sending 50 MB; say it at once.
    throw new ImportRefused(csvErrorMessage('TOO_LARGE', { limit: `${IMPORT_MAX_BYTES / 1024 / 1024} MB` }, locale));
  }
  let body: BodyInit;
  const headers: Record<string, string> = { 'x-kartoteka-csrf': '1' };
  if ('file' in source) {
    const form = new FormData();
    form.append('file', source.file, source.file.name);
    body = form;
  } else {
    headers['content-type'] = 'text/csv; charset=utf-8';
    body = source.text;
  }
  return fetch(`/api/clients/import?${params}`, { method: 'POST', headers, body, credentials: 'same-origin' });
}

async function refusal(response: Response, locale: Locale): Promise<ImportRefused> {
  try {
    const { error } = (await response.json()) as CsvRefusal;
    const text = isCsvErrorCode(error.code) ? csvErrorMessage(error.code, error.params ?? {}, locale) : error.message;
    return new ImportRefused(text);
  } catch {
    return new ImportRefused(`HTTP ${response.status}`);
  }
}

export async function previewImport(source: ImportSource, locale: Locale): Promise<ImportPreview> {
  const response = await request(source, new URLSearchParams({ mode: 'preview' }), locale);
  if (!response.ok) throw await refusal(response, locale);
  return (await response.json()) as ImportPreview;
}

/** Runs a dry run or an import, handing each streamed event over as it arrives. */
export async function runImport(
  source: ImportSource,
  options: { mode: 'dry-run' | 'import'; upsert: UpsertKey; mapping: ImportMapping },
  locale: Locale,
  onEvent: (event: ImportEvent) => void,
): Promise<void> {
  const params = new URLSearchParams({
    mode: options.mode,
    upsert: options.upsert,
    mapping: JSON.stringify(options.mapping),
  });
  const response = await request(source, params, locale);
  if (!response.ok || !response.body) throw await refusal(response, locale);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pending += value;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onEvent(JSON.parse(line) as ImportEvent);
  }
  if (pending.trim()) onEvent(JSON.parse(pending) as ImportEvent);
}
