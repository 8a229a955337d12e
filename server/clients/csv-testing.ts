import type { CsvRefusal, ImportEvent, ImportPreview } from '../../shared/client-csv';

/** Test helpers for the CSV routes: real HTTP against a test app, as the browser will call them. */

export type CsvErrorBody = CsvRefusal;

export interface ImportCall {
  mode: 'preview' | 'dry-run' | 'import';
  upsert?: 'none' | 'email' | 'taxNumber';
  mapping?: Record<string, string | null>;
  /** The body: text or bytes sent as text/csv, or `{ multipart }` for a form upload of the part `file`. */
  body: string | Buffer | { multipart: string | Buffer; name?: string };
  contentType?: string;
  csrf?: boolean;
}

const bytesOf = (body: string | Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(body));

export async function postImport(url: string, cookie: string, call: ImportCall): Promise<Response> {
  const params = new URLSearchParams({ mode: call.mode });
  if (call.upsert) params.set('upsert', call.upsert);
  if (call.mapping) params.set('mapping', JSON.stringify(call.mapping));
  const headers: Record<string, string> = { cookie };
  if (call.csrf !== false) headers['x-kartoteka-csrf'] = '1';
  let body: BodyInit;
  if (typeof call.body === 'object' && 'multipart' in call.body) {
    const form = new FormData();
    form.append(
      'file',
      new Blob([bytesOf(call.body.multipart)], { type: 'text/csv' }),
      call.body.name ?? 'clients.csv',
    );
    body = form;
  } else {
    headers['content-type'] = call.contentType ?? 'text/csv; charset=utf-8';
    body = bytesOf(call.body);
  }
  return fetch(`${url}/api/clients/import?${params}`, { method: 'POST', headers, body });
}

export async function preview(url: string, cookie: string, body: string | Buffer): Promise<ImportPreview> {
  const response = await postImport(url, cookie, { mode: 'preview', body });
  if (response.status !== 200) throw new Error(`Preview answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as ImportPreview;
}

/** Runs a dry run or an import to its end and returns every event it streamed, in order. */
export async function runImport(
  url: string,
  cookie: string,
  call: Omit<ImportCall, 'mode'> & { mode?: 'dry-run' | 'import' },
) {
  const response = await postImport(url, cookie, { mode: 'import', ...call });
  if (response.status !== 200) throw new Error(`Import answered ${response.status}: ${await response.text()}`);
  expectNdjson(response);
  const events = (await response.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ImportEvent);
  const done = events.at(-1);
  if (done?.type !== 'done') throw new Error(`The import did not finish: ${JSON.stringify(done)}`);
  return { events, done, rowErrors: events.filter((event) => event.type === 'rowError') };
}

function expectNdjson(response: Response): void {
  if (!response.headers.get('content-type')?.startsWith('application/x-ndjson')) {
    throw new Error(`Expected NDJSON, got ${response.headers.get('content-type')}`);
  }
}

export async function refusal(response: Response): Promise<{ status: number; body: CsvErrorBody }> {
  return { status: response.status, body: (await response.json()) as CsvErrorBody };
}

export function exportUrl(url: string, params: Record<string, string | number> = {}): string {
  const query = new URLSearchParams(Object.entries(params).map(([key, value]) => [key, String(value)]));
  return `${url}/api/clients.csv?${query}`;
}
