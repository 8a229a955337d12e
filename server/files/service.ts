import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { FILE_SIZE_LIMITS, type FileKind, IMAGE_FIELDS, isImageKind, mayDeleteFile } from '../../shared/files';
import { can } from '../../shared/permissions';
import { clientOpenForChanges, rowChanges } from '../activity/client-rows';
import { type RecordEvent, writeWithEvents } from '../activity/write-path';
import type { Actor } from '../auth/actor';
import { Client, type ClientEntity } from '../clients/entity';
import { getClient } from '../clients/service';
import { ForbiddenError, NotFoundError } from '../errors';
import { User } from '../users/entity';
import { StoredFile, type StoredFileEntity } from './entity';
import { verifyImage } from './images';
import { UploadError } from './upload-error';

/** A document as the Documents tab lists it: never its bytes. */
export interface DocumentDto {
  id: number;
  clientId: number;
  fileName: string;
  size: number;
  mimeType: string;
  /** Null when the uploader's account is gone. */
  uploadedBy: { id: number; name: string } | null;
  createdAt: Date;
}

export interface Upload {
  clientId: number;
  kind: FileKind;
  /** As the browser sent it; cleaned here. */
  fileName: string | undefined;
  /** As the browser declared it: kept for documents, never trusted for images. */
  declaredType: string | undefined;
  data: Buffer;
}

// Characters that must not reach a stored name: control characters and the bidirectional overrides that can
// make "photo\u202Egnp.exe" read as "photoexe.png".
const UNSAFE_NAME_CHARS = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** The last path segment of what the browser sent, without unsafe characters, at most 255 characters. */
export function cleanFileName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC').replace(UNSAFE_NAME_CHARS, '').trim();
  return [...cleaned].slice(0, 255).join('') || 'file';
}

/** A declared media type reduced to `type/subtype` in lower case; anything malformed is plain bytes. */
export function cleanMimeType(declared: string | undefined): string {
  const type = (declared ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type) && type.length <= 100
    ? type
    : 'application/octet-stream';
}

/**
 * Checked before a single byte of the file is read: the role may add files, and the client exists, is one the
 * actor may see, and is not deleted.
 */
export async function assertMayUpload(em: EntityManager, actor: Actor, clientId: number): Promise<void> {
  if (!can(actor.role, 'clients.write')) throw new ForbiddenError('Your role may not add or change files.');
  await clientOpenForChanges(em, actor, clientId, 'its files');
}

/** What an event says about a file row. */
const described = (file: StoredFileEntity) => ({
  fileName: file.fileName,
  kind: file.kind,
  mimeType: file.mimeType,
  size: file.size,
});

/**
 * Stores a received file and records it. A photo or logo must be a complete PNG, JPEG, WebP or GIF; it gets a
 * thumbnail, becomes the client's photoFileId/logoFileId (a client.updated event with before/after) and the one
 * it replaces is removed. All in one write-path transaction, with the client's row locked.
 */
export async function addFile(em: EntityManager, actor: Actor, upload: Upload): Promise<{ id: number }> {
  const { kind, data } = upload;
  const fileName = cleanFileName(upload.fileName);
  if (data.length === 0) throw new UploadError('EMPTY_FILE', 'file', { kind, name: fileName });
  // The route stops reading at the limit already; this keeps the rule true for any other caller.
  if (data.length > FILE_SIZE_LIMITS[kind]) throw new UploadError('FILE_TOO_LARGE', 'file', { kind, name: fileName });
  const image = isImageKind(kind) ? await verifyImage(data, kind, fileName) : null;

  return writeWithEvents(em, actor, async (tx, record) => {
    const client = await lockClient(tx, upload.clientId);
    await assertMayUpload(tx, actor, upload.clientId);
    const file = tx.create(StoredFile, {
      clientId: upload.clientId,
      kind,
      fileName,
      mimeType: image?.mimeType ?? cleanMimeType(upload.declaredType),
      size: data.length,
      data,
      thumbnail: image?.thumbnail ?? null,
      uploadedById: actor.id || null,
      createdAt: new Date(),
    });
    await tx.flush(); // the events name the file by its id
    record({ clientId: upload.clientId, type: 'file.added', changes: rowChanges(file.id, null, described(file)) });
    if (isImageKind(kind)) {
      const field = IMAGE_FIELDS[kind];
      const replaced = client[field] ?? null;
      client[field] = file.id;
      record({
        clientId: client.id,
        type: 'client.updated',
        changes: { [field]: { before: replaced, after: file.id } },
      });
      if (replaced !== null) await removeRow(tx, record, replaced);
    }
    return { id: file.id };
  });
}

/**
 * Locks the client's row for the rest of the transaction, before anything about it is checked, so two uploads
 * (or an upload and a removal) at the same moment cannot both replace the same photo.
 */
async function lockClient(tx: EntityManager, clientId: number): Promise<ClientEntity> {
  // refresh: the transaction starts from the caller's identity map, whose copy of the client may be older.
  const client = await tx.findOne(Client, clientId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!client) throw new NotFoundError(`Client ${clientId} does not exist.`);
  return client;
}

/** Deletes a stored file row (bytes and all) and records file.deleted. */
async function removeRow(tx: EntityManager, record: RecordEvent, id: number): Promise<void> {
  const file = await tx.findOne(StoredFile, id);
  if (!file) return;
  tx.remove(file);
  record({ clientId: file.clientId, type: 'file.deleted', changes: rowChanges(file.id, described(file), null) });
}

/**
 * Deletes a document (its uploader or an administrator) or clears a photo or logo (anyone who may edit the
 * card), through the write path. Clearing an image also empties the client's photoFileId/logoFileId.
 */
export async function deleteFile(em: EntityManager, actor: Actor, id: number): Promise<{ id: number }> {
  await writeWithEvents(em, actor, async (tx, record) => {
    const file = await visibleFile(tx, actor, id);
    const client = await lockClient(tx, file.clientId);
    await clientOpenForChanges(tx, actor, file.clientId, 'its files');
    if (!mayDeleteFile(actor, { kind: file.kind, uploadedById: file.uploadedById ?? null })) {
      throw new ForbiddenError('Only the person who uploaded this document or an administrator may delete it.');
    }
    if (isImageKind(file.kind)) {
      const field = IMAGE_FIELDS[file.kind];
      if (client[field] === file.id) {
        client[field] = null;
        record({ clientId: client.id, type: 'client.updated', changes: { [field]: { before: file.id, after: null } } });
      }
    }
    await removeRow(tx, record, file.id);
  });
  return { id };
}

/** A file's row without its bytes, when the actor may see its client; otherwise exactly like a missing file. */
async function visibleFile(em: EntityManager, actor: Actor, id: number): Promise<StoredFileEntity> {
  const file = await em.findOne(StoredFile, id);
  if (file) {
    try {
      await getClient(em, actor, file.clientId);
      return file;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  throw new NotFoundError(`File ${id} does not exist.`);
}

/** A client's documents, newest first, with who uploaded each. */
export async function listDocuments(em: EntityManager, actor: Actor, clientId: number): Promise<DocumentDto[]> {
  await getClient(em, actor, clientId);
  const files = await em.find(
    StoredFile,
    { clientId, kind: 'document' },
    { orderBy: { createdAt: 'desc', id: 'desc' } },
  );
  const uploaderIds = [...new Set(files.map((file) => file.uploadedById).filter((id) => typeof id === 'number'))];
  const users =
    uploaderIds.length > 0 ? await em.find(User, { id: { $in: uploaderIds } }, { fields: ['id', 'name'] }) : [];
  const names = new Map(users.map((user) => [user.id, user.name]));
  return files.map((file) => {
    const uploaderName = file.uploadedById ? names.get(file.uploadedById) : undefined;
    return {
      id: file.id,
      clientId: file.clientId,
      fileName: file.fileName,
      size: file.size,
      mimeType: file.mimeType,
      uploadedBy:
        file.uploadedById && uploaderName !== undefined ? { id: file.uploadedById, name: uploaderName } : null,
      createdAt: file.createdAt,
    };
  });
}

export interface FileContent {
  kind: FileKind;
  fileName: string;
  mimeType: string;
  bytes: Buffer;
}

/**
 * A file's bytes for a viewer allowed to see its client, or the thumbnail of a photo or logo (a WebP). Only that
 * one column of that one row is read: never another row's blob. The bytes are held in memory while they are
 * sent, at most 20 MB (the largest file); accepted, since the database hands a blob over whole.
 */
export async function readFile(
  em: EntityManager,
  actor: Actor,
  id: number,
  variant: 'original' | 'thumbnail',
): Promise<FileContent> {
  if (!can(actor.role, 'clients.read')) throw new ForbiddenError("Your role may not open clients' files.");
  const file = await visibleFile(em, actor, id);
  if (variant === 'thumbnail' && !isImageKind(file.kind)) {
    throw new NotFoundError(`File ${id} is a document; only photos and logos have thumbnails.`);
  }
  const column = variant === 'thumbnail' ? 'thumbnail' : 'data';
  const row = await em
    .createQueryBuilder(StoredFile)
    .select([column])
    .where({ id })
    .execute<Partial<Record<typeof column, Buffer | null>> | undefined>('get');
  const bytes = row?.[column];
  if (!bytes) throw new NotFoundError(`File ${id} does not exist.`);
  return {
    kind: file.kind,
    fileName: file.fileName,
    mimeType: variant === 'thumbnail' ? 'image/webp' : file.mimeType,
    bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes),
  };
}
