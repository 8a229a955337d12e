import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { NoteVisibility } from '../../shared/enums';
import { mayChangeNote, mayUseVisibility } from '../../shared/notes';
import { can } from '../../shared/permissions';
import { clientOpenForChanges, rowChanges } from '../activity/client-rows';
import { type RecordEvent, writeWithEvents } from '../activity/write-path';
import type { Actor } from '../auth/actor';
import { getClient } from '../clients/service';
import { ForbiddenError, NotFoundError } from '../errors';
import { User } from '../users/entity';
import { Note, type NoteEntity } from './entity';

/** A note as the API returns it. `edited` is set by an edit, so the card can say "edited". */
export interface NoteDto {
  id: number;
  clientId: number;
  body: string;
  visibility: NoteVisibility;
  /** Null for notes the system wrote (demo data). */
  author: { id: number; name: string } | null;
  createdAt: Date;
  updatedAt: Date;
  editedAt: Date | null;
  edited: boolean;
}

async function authorsOf(em: EntityManager, notes: NoteEntity[]): Promise<Map<number, string>> {
  const ids = [...new Set(notes.map((note) => note.authorId).filter((id): id is number => typeof id === 'number'))];
  if (ids.length === 0) return new Map();
  const users = await em.find(User, { id: { $in: ids } }, { fields: ['id', 'name'] });
  return new Map(users.map((user) => [user.id, user.name]));
}

async function toDtos(em: EntityManager, notes: NoteEntity[]): Promise<NoteDto[]> {
  const authors = await authorsOf(em, notes);
  return notes.map((note) => {
    const authorName = note.authorId ? authors.get(note.authorId) : undefined;
    return {
      id: note.id,
      clientId: note.clientId,
      body: note.body,
      visibility: note.visibility,
      author: note.authorId && authorName !== undefined ? { id: note.authorId, name: authorName } : null,
      createdAt: note.createdAt,
      updatedAt: note.updatedAt,
      editedAt: note.editedAt ?? null,
      edited: Boolean(note.editedAt),
    };
  });
}

async function toDto(em: EntityManager, note: NoteEntity): Promise<NoteDto> {
  return (await toDtos(em, [note]))[0] as NoteDto;
}

const openForNotes = (em: EntityManager, actor: Actor, clientId: number) =>
  clientOpenForChanges(em, actor, clientId, 'its notes');

/**
 * A note the actor may see, locked for the rest of the transaction so the event's "before" is what was
 * really replaced; one the actor may not see answers exactly like one that does not exist.
 */
async function visibleNote(tx: EntityManager, actor: Actor, id: number): Promise<NoteEntity> {
  const note = await tx.findOne(Note, { id, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  const hidden =
    !note ||
    (actor.role === 'client' && note.clientId !== actor.clientId) ||
    (note.visibility === 'private' && !can(actor.role, 'notes.readPrivate'));
  if (hidden) throw new NotFoundError(`Note ${id} does not exist.`);
  return note;
}

function assertMayUse(actor: Actor, visibility: NoteVisibility): void {
  if (!mayUseVisibility(actor.role, visibility)) {
    throw new ForbiddenError('Only staff may write private notes; choose "public".');
  }
}

/** A client's notes, newest first; private ones only for roles that may read them. */
export async function listNotes(em: EntityManager, actor: Actor, clientId: number): Promise<NoteDto[]> {
  await getClient(em, actor, clientId);
  const notes = await em.find(
    Note,
    { clientId, deletedAt: null, ...(can(actor.role, 'notes.readPrivate') ? {} : { visibility: 'public' as const }) },
    { orderBy: { createdAt: 'desc', id: 'desc' } },
  );
  return toDtos(em, notes);
}

/**
 * Writes a new note and its note.added event inside a write-path transaction. The caller has checked who may
 * (addNote for people; the demo data for itself).
 */
export async function insertNote(
  tx: EntityManager,
  record: RecordEvent,
  authorId: number | null,
  input: { clientId: number; body: string; visibility: NoteVisibility },
): Promise<NoteEntity> {
  const now = new Date();
  const note = tx.create(Note, { ...input, authorId, createdAt: now, updatedAt: now });
  await tx.flush(); // the event names the note by its id
  record({
    clientId: input.clientId,
    type: 'note.added',
    changes: rowChanges(note.id, null, { body: note.body, visibility: note.visibility }),
  });
  return note;
}

export async function addNote(
  em: EntityManager,
  actor: Actor,
  input: { clientId: number; body: string; visibility: NoteVisibility },
): Promise<NoteDto> {
  assertMayUse(actor, input.visibility);
  const note = await writeWithEvents(em, actor, async (tx, record) => {
    await openForNotes(tx, actor, input.clientId);
    return insertNote(tx, record, actor.id || null, input);
  });
  return toDto(em, note);
}

export async function updateNote(
  em: EntityManager,
  actor: Actor,
  input: { id: number; body?: string; visibility?: NoteVisibility },
): Promise<NoteDto> {
  const note = await writeWithEvents(em, actor, async (tx, record) => {
    const found = await visibleNote(tx, actor, input.id);
    await openForNotes(tx, actor, found.clientId);
    if (!mayChangeNote(actor, found)) {
      throw new ForbiddenError('Only the author of this note or an administrator may change it.');
    }
    if (input.visibility) assertMayUse(actor, input.visibility);
    const before = { body: found.body, visibility: found.visibility };
    const after = { body: input.body ?? found.body, visibility: input.visibility ?? found.visibility };
    if (after.body === before.body && after.visibility === before.visibility) return found;
    tx.assign(found, { ...after, editedAt: new Date() });
    record({
      clientId: found.clientId,
      type: 'note.updated',
      changes: rowChanges(found.id, before, after, ['visibility']),
    });
    return found;
  });
  return toDto(em, note);
}

/** Soft delete: the row stays for the event log's sake, the note is gone from every list. */
export async function deleteNote(em: EntityManager, actor: Actor, id: number): Promise<{ id: number }> {
  await writeWithEvents(em, actor, async (tx, record) => {
    const found = await visibleNote(tx, actor, id);
    await openForNotes(tx, actor, found.clientId);
    if (!mayChangeNote(actor, found)) {
      throw new ForbiddenError('Only the author of this note or an administrator may delete it.');
    }
    found.deletedAt = new Date();
    record({
      clientId: found.clientId,
      type: 'note.deleted',
      changes: rowChanges(found.id, { body: found.body, visibility: found.visibility }, null),
    });
  });
  return { id };
}
