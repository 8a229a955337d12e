import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import busboy from 'busboy';
import express, { type Request, type Response } from 'express';
import {
  type CsvRefusal,
  IMPORT_MAX_BYTES,
  IMPORT_MODES,
  IMPORT_TARGETS,
  type ImportEvent,
  type ImportPreview,
  UPSERT_KEYS,
} from '../../shared/client-csv';
import { type ClientListQuery, clientListInputSchema } from '../../shared/client-schema';
import { fieldErrorsFrom } from '../../shared/field-errors';
import { isLocale, type Locale } from '../../shared/locale';
import { can, type Permission } from '../../shared/permissions';
import type { Actor } from '../auth/actor';
import { readCookie, SESSION_COOKIE, userForToken } from '../auth/sessions';
import { CSRF_HEADER } from '../context';
import { DomainError, ValidationError } from '../errors';
import { log } from '../ops/log';
import { csvStringifier, exportedClients } from './csv';
import { importClients } from './import';
import { CsvRequestError, checkMapping, inspectCsv, parseMapping, suggestMapping } from './import-file';

/**
 * The client list's two routes that carry files rather than calls (their contract is in shared/client-csv.ts):
 * `GET /api/clients.csv` (the export) and `POST /api/clients/import` (preview, dry run, import). Refusals
 * are JSON `{ error: { code, message, field, fieldErrors? } }`.
 */
export function clientCsvRoutes(orm: MikroORM): express.Router {
  const routes = express.Router();
  routes.get('/clients.csv', (req, res) => handle(res, () => exportCsv(orm.em.fork() as EntityManager, req, res)));
  routes.post('/clients/import', (req, res) => handle(res, () => importCsv(orm.em.fork() as EntityManager, req, res)));
  return routes;
}

async function handle(res: Response, route: () => Promise<void>): Promise<void> {
  try {
    await route();
  } catch (error) {
    if (res.headersSent) {
      // A stream already under way cannot turn into an error answer: cut it, so the download shows as failed.
      if (!(error instanceof CsvRequestError)) log.error({ err: error }, 'A CSV download failed mid-stream');
      res.destroy();
      return;
    }
    let status = 500;
    let body: CsvRefusal['error'] = {
      code: 'INTERNAL_SERVER_ERROR',
      message: 'Something went wrong on the server. Try again; if it keeps happening, tell an administrator.',
      field: null,
    };
    if (error instanceof CsvRequestError) {
      status = error.status;
      // The params let the browser word the refusal in the user's language (csvErrorMessage).
      body = { code: error.code, message: error.message, field: error.field, params: error.params };
    } else if (error instanceof ValidationError) {
      status = 400;
      const [field] = Object.keys(error.fieldErrors);
      body = { code: 'BAD_PARAMETER', message: error.message, field: field ?? null, fieldErrors: error.fieldErrors };
    } else if (error instanceof DomainError) {
      status = 400;
      body = { code: 'BAD_REQUEST', message: error.message, field: null };
    } else {
      log.error({ err: error }, 'A CSV request failed');
    }
    // Whatever of the body is still on its way is not read: the connection closes after this answer.
    if (!res.req.complete) res.set('Connection', 'close');
    res.status(status).json({ error: body });
  }
}

async function actorWith(em: EntityManager, req: Request, permission: Permission): Promise<Actor> {
  const user = await userForToken(em, readCookie(req.headers.cookie, SESSION_COOKIE));
  if (!user) throw new CsvRequestError('UNAUTHORIZED', null);
  if (!can(user.role, permission)) throw new CsvRequestError('FORBIDDEN', null, { role: user.role, permission });
  return { id: user.id, name: user.name, role: user.role, clientId: user.clientId };
}

/** A query-string parameter given once, or undefined; a repeated one is refused. */
function single(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined || typeof value === 'string') return value;
  throw new CsvRequestError('BAD_PARAMETER', name, { detail: `Give the parameter "${name}" once.` });
}

const NUMERIC = new Set(['categoryId', 'subcategoryId', 'projectId', 'contractTypeId', 'page', 'pageSize']);

/** The list's own URL parameters, read by the list's own schema (the export ignores the page). */
function listQueryOf(req: Request, ignore: string[]): ClientListQuery {
  const input: Record<string, unknown> = {};
  for (const name of Object.keys(req.query)) {
    if (ignore.includes(name)) continue;
    const value = single(req, name) ?? '';
    input[name] = NUMERIC.has(name) && /^\d{1,9}$/.test(value) ? Number(value) : value;
  }
  const parsed = clientListInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error.issues));
  return parsed.data;
}

function localeOf(req: Request): Locale {
  const lang = single(req, 'lang') ?? 'en';
  if (!isLocale(lang)) throw new CsvRequestError('BAD_PARAMETER', 'lang', { detail: 'lang must be en or pl.' });
  return lang;
}

async function exportCsv(em: EntityManager, req: Request, res: Response): Promise<void> {
  const actor = await actorWith(em, req, 'clients.read');
  const locale = localeOf(req);
  const query = listQueryOf(req, ['lang']);
  const { rows } = await exportedClients(em, actor, query);
  const day = new Date().toISOString().slice(0, 10);
  res.status(200).set({
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${locale === 'pl' ? 'klienci' : 'clients'}-${day}.csv"`,
    'Cache-Control': 'no-store',
  });
  // Backpressure end to end: a batch is read from the database only when the client has taken the last one.
  await pipeline(Readable.from(rows), csvStringifier(locale), res);
}

function oneOf<const T extends readonly string[]>(req: Request, name: string, values: T, fallback?: T[number]) {
  const value = single(req, name) ?? fallback;
  if (value === undefined || !values.includes(value)) {
    throw new CsvRequestError('BAD_PARAMETER', name, { detail: `${name} must be one of: ${values.join(', ')}.` });
  }
  return value as T[number];
}

const TEXT_TYPES = [
  'text/csv',
  'text/plain',
  'application/csv',
  'application/vnd.ms-excel',
  'application/octet-stream',
];

/** The request body (or its multipart part `file`), counted as it arrives: refused the moment it passes the limit. */
async function readUpload(req: IncomingMessage): Promise<Buffer> {
  const tooLarge = () => new CsvRequestError('TOO_LARGE', 'file', { limit: `${IMPORT_MAX_BYTES / 1024 / 1024} MB` });
  if (Number(req.headers['content-length'] ?? 0) > IMPORT_MAX_BYTES + 64 * 1024) throw tooLarge();
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const collect = async (stream: Readable): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Stopping early must not destroy the request: its socket still has to carry the refusal.
    for await (const chunk of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > IMPORT_MAX_BYTES) {
        stream.pause();
        throw tooLarge();
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
  };
  if (TEXT_TYPES.includes(type)) return collect(req as Readable);
  if (type !== 'multipart/form-data') throw new CsvRequestError('NOT_CSV', 'file');
  return new Promise<Buffer>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 0, parts: 1, fileSize: IMPORT_MAX_BYTES } });
    } catch {
      reject(new CsvRequestError('NOT_CSV', 'file'));
      return;
    }
    let file: Promise<Buffer> | undefined;
    const fail = (error: unknown) => {
      req.unpipe(parser);
      req.pause();
      reject(error);
    };
    parser.on('file', (name, stream: Readable & { truncated?: boolean }) => {
      if (name !== 'file') {
        stream.resume();
        return;
      }
      // busboy stops the part at the limit: refuse at once rather than after the rest of the body arrives.
      stream.on('limit', () => fail(tooLarge()));
      file = collect(stream).then((bytes) => {
        if (stream.truncated) throw tooLarge();
        return bytes;
      });
      file.catch(fail);
    });
    parser.on('error', () => fail(new CsvRequestError('NOT_CSV', 'file')));
    parser.on('close', () => (file ? file.then(resolve, fail) : fail(new CsvRequestError('NOT_CSV', 'file'))));
    req.pipe(parser);
  });
}

async function importCsv(em: EntityManager, req: Request, res: Response): Promise<void> {
  // A cross-site form cannot set a custom header: its presence proves the upload came from our own pages.
  if (req.headers[CSRF_HEADER] !== '1') throw new CsvRequestError('CSRF', null);
  const actor = await actorWith(em, req, 'clients.bulk');
  const mode = oneOf(req, 'mode', IMPORT_MODES);
  const upsert = oneOf(req, 'upsert', UPSERT_KEYS, 'none');
  const mappingParam = single(req, 'mapping');
  const file = await inspectCsv(await readUpload(req));

  if (mode === 'preview') {
    const preview: ImportPreview = {
      headers: file.headers,
      mapping: suggestMapping(file.headers),
      targets: [...IMPORT_TARGETS],
      rows: file.firstRows,
      rowCount: file.rowCount,
      delimiter: file.delimiter,
    };
    res.status(200).json(preview);
    return;
  }
  const mapping = mappingParam === undefined ? suggestMapping(file.headers) : parseMapping(mappingParam);
  checkMapping(mapping, file.headers, upsert);

  res.status(200).set({ 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
  res.flushHeaders();
  for await (const event of importClients(em, actor, file, { mode, upsert, mapping })) {
    await send(res, event);
  }
  if (!res.destroyed) res.end();
}

/**
 * One event, one line. An import that has started runs to its end even when the browser goes away (its rows
 * are committed batch by batch and show up live); only the report is lost then.
 */
async function send(res: Response, event: ImportEvent): Promise<void> {
  if (res.destroyed || res.writableEnded) return;
  if (!res.write(`${JSON.stringify(event)}\n`)) {
    await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
}
