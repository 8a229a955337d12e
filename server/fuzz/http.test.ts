import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IMPORT_MODES, UPSERT_KEYS } from '../../shared/client-csv';
import { CSRF_HEADER } from '../context';
import { ADMIN, startTestApp, type TestApp } from '../test/harness';
import { FIELD_NAMES, FUZZ_RUNS, FUZZ_SEED, NASTY_STRINGS } from './hostile';
import { tablesFingerprint } from './snapshot';

/**
 * The HTTP endpoints outside tRPC's typed calls, and /trpc itself when what arrives is not a tRPC call at all:
 * garbage bodies, malformed multipart, hostile query strings, oversized uploads. Every answer must be a success or
 * a clear 4xx, never a 500; a refused request must change no row; the server must still answer /healthz.
 */
let t: TestApp;
let cookie: string;
let clientId: number;
let fingerprint: string;
let tried = 0;

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.signIn(ADMIN.email, ADMIN.password);
  cookie = admin.cookie;
  clientId = (await admin.api.clients.create.mutate({ name: 'Fuzz Client' })).id;
  fingerprint = await tablesFingerprint(t.app.orm);
}, 120_000);

afterAll(async () => {
  console.log(`fuzz http: ${tried} hostile requests (FUZZ_RUNS=${FUZZ_RUNS} per endpoint, seed ${FUZZ_SEED})`);
  await t?.close();
});

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
}

/** Sends one request; checks the answer is a success or a clear 4xx, and that a refusal changed nothing. */
async function check(request: Sent): Promise<void> {
  tried++;
  let response: Response;
  try {
    response = await fetch(`${t.url}${request.path}`, {
      method: request.method,
      headers: { cookie, ...request.headers },
      body:
        request.method === 'GET' || request.body === undefined ? undefined : new Uint8Array(Buffer.from(request.body)),
    });
  } catch (error) {
    // The server may cut an upload it has refused before reading all of it: then the refusal is what counts.
    const text = String((error as { cause?: unknown }).cause ?? error);
    expect(text, `${request.method} ${request.path.slice(0, 200)}`).toMatch(
      /ECONNRESET|EPIPE|other side closed|SocketError/,
    );
    return;
  }
  const body = await response.text();
  const context = `${request.method} ${request.path.slice(0, 200)} -> ${response.status} ${body.slice(0, 300)}`;
  expect(response.status, context).toBeLessThan(500);
  if (response.ok) {
    fingerprint = await tablesFingerprint(t.app.orm);
    return;
  }
  expect(response.status, context).toBeGreaterThanOrEqual(400);
  expect(body, context).not.toMatch(/\n\s+at |node_modules|Exception:/);
  if (request.method !== 'GET')
    expect(await tablesFingerprint(t.app.orm), `rows changed: ${context}`).toBe(fingerprint);
}

/** A URL or a header holds UTF-8, which has no lone surrogates: those go out as U+FFFD, as a browser sends them. */
const wellFormed = (value: string) =>
  value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** A header value can only carry bytes (and no line breaks): hostile text goes out as its UTF-8 bytes. */
const headerSafe = (value: string) =>
  Buffer.from(wellFormed(value))
    .toString('latin1')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: header values may not hold them; stripped on purpose.
    .replace(/[\x00-\x1f\x7f]/g, '');

const text = fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ unit: 'binary', maxLength: 60 }));
const bytes = fc.uint8Array({ maxLength: 2_000 }).map((array) => Buffer.from(array));
const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...FIELD_NAMES, 'batch', 'input', 'mode', 'upsert', 'mapping', 'size'), text),
      text,
    ),
    {
      maxLength: 6,
    },
  )
  .map((pairs) => new URLSearchParams(pairs).toString());

function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`;
}

it('/trpc: garbage paths, query strings and bodies get a 4xx', async () => {
  const body = fc.oneof(
    text,
    bytes,
    fc.constantFrom(
      '{',
      '{"json":',
      'null',
      '[]',
      '{"0":{"json":{}},"1":7}',
      '{"json":{"__proto__":{"admin":true}}}',
      '{"json":{"name":"x"},"meta":{"values":{"name":["custom","nope"]}}}',
      '{"json":{"name":"x"},"meta":{"values":{"__proto__.polluted":["undefined"]}}}',
      `{"json":${deepJson(20_000)}}`,
    ),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      fc.oneof(
        fc.constantFrom('clients.create', 'clients.list', 'clients.create,clients.list', 'auth.me', 'live.events'),
        text,
      ),
      queryString,
      fc.constantFrom('application/json', 'text/plain', 'multipart/form-data', 'application/x-www-form-urlencoded', ''),
      body,
      async (method, procedure, query, contentType, payload) =>
        check({
          method,
          path: `/trpc/${encodeURIComponent(wellFormed(procedure)).replaceAll('%2C', ',')}?${query}`,
          headers: { [CSRF_HEADER]: '1', ...(contentType ? { 'content-type': contentType } : {}) },
          body: payload,
        }),
    ),
    { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true },
  );
  expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
}, 120_000);

it('/trpc: a call bigger than 1 MB is refused with 413 before it is read', async () => {
  await check({
    method: 'POST',
    path: '/trpc/clients.create',
    headers: { [CSRF_HEADER]: '1', 'content-type': 'application/json' },
    body: JSON.stringify({ json: { name: 'x'.repeat(2 * 1024 * 1024) } }),
  });
  const response = await fetch(`${t.url}/trpc/clients.create`, {
    method: 'POST',
    headers: { cookie, [CSRF_HEADER]: '1', 'content-type': 'application/json' },
    body: JSON.stringify({ json: { name: 'x'.repeat(2 * 1024 * 1024) } }),
  });
  expect(response.status).toBe(413);
});

/** A multipart body from parts, with the boundary it declares and, sometimes, another one it really uses. */
const multipart = fc
  .record({
    declared: fc.oneof(fc.constant('fuzzboundary'), text),
    used: fc.oneof(fc.constant('fuzzboundary'), text),
    parts: fc.array(
      fc.record({
        name: fc.oneof(fc.constantFrom('clientId', 'kind', 'file', 'mode'), text),
        filename: fc.option(text),
        type: fc.option(fc.constantFrom('text/csv', 'image/png', 'application/pdf', 'text/html', 'x/y')),
        content: fc.oneof(
          text,
          bytes,
          fc.constant(String(1)),
          fc.constantFrom('photo', 'logo', 'document', 'name,email\nA,a@example.com\n'),
        ),
      }),
      { maxLength: 5 },
    ),
    truncateAt: fc.option(fc.nat()),
  })
  .map(({ declared, used, parts, truncateAt }) => {
    const chunks: Buffer[] = [];
    for (const part of parts) {
      const disposition = `form-data; name="${part.name}"${part.filename === null ? '' : `; filename="${part.filename}"`}`;
      const head = `--${used}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`;
      chunks.push(Buffer.from(head), Buffer.from(part.content), Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from(`--${used}--\r\n`));
    const body = Buffer.concat(chunks);
    return {
      contentType: `multipart/form-data; boundary=${headerSafe(declared)}`,
      body: truncateAt === null ? body : body.subarray(0, truncateAt % (body.length + 1)),
    };
  });

it('/api/files: malformed multipart, hostile fields and ids get a 4xx', async () => {
  await fc.assert(
    fc.asyncProperty(multipart, async ({ contentType, body }) =>
      check({ method: 'POST', path: '/api/files', headers: { [CSRF_HEADER]: '1', 'content-type': contentType }, body }),
    ),
    { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true },
  );
  await fc.assert(
    fc.asyncProperty(text, queryString, async (id, query) =>
      check({ method: 'GET', path: `/api/files/${encodeURIComponent(wellFormed(id))}?${query}`, headers: {} }),
    ),
    { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true },
  );
  expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
}, 120_000);

it('/api/files: an upload over its limit is refused with 413, and nothing is stored', async () => {
  const boundary = 'oversized';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="clientId"\r\n\r\n${clientId}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nphoto\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
  const body = Buffer.concat([head, Buffer.alloc(6 * 1024 * 1024, 1), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const response = await fetch(`${t.url}/api/files`, {
    method: 'POST',
    headers: { cookie, [CSRF_HEADER]: '1', 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  }).catch(() => null);
  // Either the refusal arrives, or the server cut the upload it refused before the client finished sending it.
  if (response) expect(response.status).toBe(413);
  expect(await tablesFingerprint(t.app.orm)).toBe(fingerprint);
  tried++;
});

it('/api/clients.csv: hostile filters get a 4xx or a CSV, never a 500', async () => {
  await fc.assert(
    fc.asyncProperty(queryString, async (query) =>
      check({ method: 'GET', path: `/api/clients.csv?${query}`, headers: {} }),
    ),
    { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true },
  );
}, 120_000);

it('/api/clients/import: malformed uploads and hostile parameters get a 4xx', async () => {
  const parameters = fc.record({
    mode: fc.oneof(fc.constantFrom(...IMPORT_MODES), text),
    upsert: fc.oneof(fc.constantFrom(...UPSERT_KEYS), text),
    mapping: fc.option(fc.oneof(text, fc.constant('{"name":"name"}'), fc.constant('{"__proto__":"name"}'))),
  });
  await fc.assert(
    fc.asyncProperty(
      parameters,
      fc.oneof(
        multipart,
        bytes.map((body) => ({ contentType: 'text/csv', body })),
      ),
      async (params, upload) => {
        const query = new URLSearchParams({
          mode: params.mode,
          upsert: params.upsert,
          ...(params.mapping === null ? {} : { mapping: params.mapping }),
        });
        await check({
          method: 'POST',
          path: `/api/clients/import?${query}`,
          headers: { [CSRF_HEADER]: '1', 'content-type': upload.contentType },
          body: upload.body,
        });
      },
    ),
    { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true },
  );
  expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
}, 120_000);
