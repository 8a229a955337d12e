import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { type MikroORM, OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import busboy from 'busboy';
import express, { type Request, type Response } from 'express';
import {
  FILE_KINDS,
  FILE_SIZE_LIMITS,
  type FileKind,
  isImageKind,
  type UploadErrorCode,
  type UploadErrorParams,
  type UploadField,
} from '../../shared/files';
import type { Actor } from '../auth/actor';
import { readCookie, SESSION_COOKIE, userForToken } from '../auth/sessions';
import { CSRF_HEADER } from '../context';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '../errors';
import { log } from '../ops/log';
import { contentDisposition, documentContentType } from './headers';
import { addFile, assertMayUpload, readFile, type Upload } from './service';
import { UploadError } from './upload-error';

/**
 * The two file routes that cannot be tRPC calls because they carry bytes: `POST /api/files` (multipart: the
 * fields clientId and kind, then one part `file`) answering `{ id }`, and `GET /api/files/:id[?size=thumb]`.
 * Errors are JSON: `{ error: { code, message, field } }`.
 */
export function fileRoutes(orm: MikroORM): express.Router {
  const routes = express.Router();
  routes.post('/', (req, res) => handle(res, () => receive(orm.em.fork() as EntityManager, req, res)));
  routes.get('/:id', (req, res) => handle(res, () => send(orm.em.fork() as EntityManager, req, res)));
  return routes;
}

interface ErrorBody {
  code: string;
  message: string;
  field: UploadField | null;
}

/** The status and JSON body for a refusal. */
function answerFor(error: unknown, isUpload: boolean): { status: number; body: ErrorBody } {
  const answer = (status: number, code: string, message: string, field: UploadField | null = null) => ({
    status,
    body: { code, message, field },
  });
  if (error instanceof UploadError) return answer(error.status, error.code, error.message, error.field);
  if (error instanceof OptimisticLockError) {
    return answer(409, 'CONFLICT', 'Someone else saved this client at the same moment; try again.');
  }
  if (error instanceof DomainError) {
    // All a service can refuse here is the upload's client or the file asked for.
    const field = isUpload ? 'clientId' : null;
    if (error instanceof NotFoundError) return answer(404, 'NOT_FOUND', error.message, field);
    if (error instanceof ForbiddenError) return answer(403, 'FORBIDDEN', error.message, field);
    if (error instanceof ConflictError) return answer(409, 'CONFLICT', error.message, field);
    return answer(400, 'BAD_REQUEST', error.message, field);
  }
  log.error({ err: error }, 'A file request failed');
  return answer(
    500,
    'INTERNAL_SERVER_ERROR',
    'Something went wrong on the server. Try again; if it keeps happening, tell an administrator.',
  );
}

/** Runs a route and answers every refusal as JSON; a request body not yet read is left unread. */
async function handle(res: Response, route: () => Promise<void>): Promise<void> {
  try {
    await route();
  } catch (error) {
    const { status, body } = answerFor(error, res.req.method === 'POST');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // Whatever of the body is still on its way is not read: the connection closes after this answer.
    if (!res.req.complete) res.set('Connection', 'close');
    res.status(status).json({ error: body });
  }
}

async function signedInActor(em: EntityManager, req: Request): Promise<Actor> {
  const user = await userForToken(em, readCookie(req.headers.cookie, SESSION_COOKIE));
  if (!user) throw new UploadError('UNAUTHORIZED', null);
  return { id: user.id, name: user.name, role: user.role, clientId: user.clientId };
}

async function receive(em: EntityManager, req: Request, res: Response): Promise<void> {
  // A cross-site form cannot set a custom header: its presence proves the upload came from our own pages.
  if (req.headers[CSRF_HEADER] !== '1') throw new UploadError('CSRF', null);
  const actor = await signedInActor(em, req);
  if (!req.is('multipart/form-data')) throw new UploadError('NOT_MULTIPART', null);
  const upload = await readMultipart(req, (clientId) => assertMayUpload(em, actor, clientId));
  const { id } = await addFile(em, actor, upload);
  res.status(201).json({ id });
}

function parseClientId(value: string): number {
  if (!/^[1-9]\d{0,9}$/.test(value) || Number(value) > 2_147_483_647) {
    throw new UploadError('INVALID_CLIENT_ID', 'clientId', { value: value.slice(0, 40) });
  }
  return Number(value);
}

function parseKind(value: string): FileKind {
  const kind = FILE_KINDS.find((known) => known === value);
  if (!kind) throw new UploadError('INVALID_KIND', 'kind', { value: value.slice(0, 40) });
  return kind;
}

/**
 * Reads the multipart body as it arrives. The fields must come before the file, so the client and the kind (and
 * with it the size limit) are known, and checked, before the file's first byte is read. The file is counted
 * while it streams in; one byte over its kind's limit and reading stops: the request is refused at once and the
 * rest of the body is never read. At most one file of at most 20 MB is ever held in memory per upload.
 */
function readMultipart(req: IncomingMessage, checkClient: (clientId: number) => Promise<void>): Promise<Upload> {
  return new Promise<Upload>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers send file names as raw UTF-8; busboy would otherwise read them as Latin-1.
        defParamCharset: 'utf8',
        limits: { fields: 4, fieldSize: 100, files: 1, parts: 6, fileSize: FILE_SIZE_LIMITS.document + 1 },
      });
    } catch {
      reject(new UploadError('NOT_MULTIPART', null));
      return;
    }
    let clientId: number | undefined;
    let kind: FileKind | undefined;
    let received: Promise<Upload> | undefined;
    let settled = false;

    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.pause();
      reject(error);
    };
    const refuse = (code: UploadErrorCode, field: UploadField | null, params: UploadErrorParams = {}) =>
      fail(new UploadError(code, field, params));
    const missingField = () => {
      const field = clientId === undefined ? 'clientId' : 'kind';
      refuse('MISSING_FIELD', field, { field });
    };

    parser.on('field', (name, value) => {
      try {
        if (name !== 'clientId' && name !== 'kind') refuse('UNKNOWN_FIELD', null, { field: name });
        else if ((name === 'clientId' ? clientId : kind) !== undefined)
          refuse('DUPLICATE_FIELD', name, { field: name });
        else if (name === 'clientId') clientId = parseClientId(value);
        else kind = parseKind(value);
      } catch (error) {
        fail(error);
      }
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || clientId === undefined || kind === undefined) {
        stream.resume();
        if (name !== 'file') refuse('UNKNOWN_FIELD', null, { field: name });
        else missingField();
        return;
      }
      const upload = { clientId, kind, fileName: info.filename, declaredType: info.mimeType };
      received = readFilePart(stream, upload, () => checkClient(upload.clientId));
      received.catch(fail);
    });
    // busboy skips what is over these limits, so hitting one means the body holds more than an upload may.
    parser.on('filesLimit', () => refuse('TOO_MANY_FILES', 'file'));
    parser.on('fieldsLimit', () => refuse('TOO_MANY_FIELDS', null));
    parser.on('partsLimit', () => refuse('TOO_MANY_FIELDS', null));
    parser.on('error', () => refuse('NOT_MULTIPART', null));
    parser.on('close', () => {
      if (settled) return;
      if (!received) {
        if (clientId === undefined || kind === undefined) missingField();
        else refuse('NO_FILE', 'file');
        return;
      }
      received.then((upload) => {
        settled = true;
        resolve(upload);
      }, fail);
    });
    req.pipe(parser);
  });
}

async function readFilePart(
  stream: Readable & { truncated?: boolean },
  upload: Omit<Upload, 'data'>,
  checkClient: () => Promise<void>,
): Promise<Upload> {
  // Not a byte is read before the client is known to accept files from this actor.
  await checkClient();
  const limit = FILE_SIZE_LIMITS[upload.kind];
  const tooLarge = () => new UploadError('FILE_TOO_LARGE', 'file', { kind: upload.kind, name: upload.fileName });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  if (stream.truncated) throw tooLarge();
  return { ...upload, data: Buffer.concat(chunks, size) };
}

async function send(em: EntityManager, req: Request, res: Response): Promise<void> {
  const actor = await signedInActor(em, req);
  const id = /^[1-9]\d{0,9}$/.test(String(req.params.id)) ? Number(req.params.id) : 0;
  if (!id) throw new NotFoundError(`File ${String(req.params.id).slice(0, 40)} does not exist.`);
  const size = req.query.size;
  if (size !== undefined && size !== 'thumb') throw new NotFoundError('The only size there is: size=thumb.');
  const file = await readFile(em, actor, id, size === 'thumb' ? 'thumbnail' : 'original');
  const image = isImageKind(file.kind);
  res.set({
    // Photos and logos were decoded and verified at upload, so they may show in the page; documents never do.
    'Content-Type': image ? file.mimeType : documentContentType(file.mimeType),
    'Content-Disposition': contentDisposition(image ? 'inline' : 'attachment', file.fileName),
    'Content-Length': String(file.bytes.length),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cross-Origin-Resource-Policy': 'same-origin',
    // The bytes behind an image's id never change (a new photo gets a new id); documents are checked each time.
    'Cache-Control': image ? 'private, max-age=86400, immutable' : 'private, no-cache',
  });
  res.status(200).end(file.bytes);
}
