import { z } from 'zod';
import { NOTE_VISIBILITIES, type NoteVisibility, type Role } from './enums';
import type { Localized } from './locale';
import { message, validationLocale } from './messages';
import { can } from './permissions';
import { cleanMultiline } from './plain-text';

/** The rules for a client's notes, used by the composer (as you type) and by the server (the final word). */

export const NOTE_BODY_MAX = 10_000;

const LABELS = {
  body: { en: 'Note', pl: 'Notatka' },
  visibility: { en: 'Visibility', pl: 'Widoczność' },
} as const satisfies Record<string, Localized>;

/** The field's name as the composer labels it, in the current language (shared/messages.ts words the rest). */
const label = (field: keyof typeof LABELS) => LABELS[field][validationLocale()];

export const noteBodySchema = z.preprocess(
  (value) => (typeof value === 'string' ? cleanMultiline(value) : value),
  z
    .string({ error: () => message('required', { field: label('body') }) })
    .min(1, { error: () => message('required', { field: label('body') }) })
    .max(NOTE_BODY_MAX, { error: () => message('tooLong', { field: label('body'), max: NOTE_BODY_MAX }) }),
);

export const noteVisibilitySchema = z.enum(NOTE_VISIBILITIES, {
  error: () => message('oneOf', { field: label('visibility'), options: NOTE_VISIBILITIES.join(', ') }),
});

/** What the composer and the edit form send. */
export const noteContentSchema = z.object({ body: noteBodySchema, visibility: noteVisibilitySchema });
export type NoteContent = z.output<typeof noteContentSchema>;

/** Private notes are for staff only: whoever may not read them may not write one either. */
export function mayUseVisibility(role: Role, visibility: NoteVisibility): boolean {
  return visibility === 'public' || can(role, 'notes.readPrivate');
}

/** A note may be changed by its author (while their role still writes notes) or by whoever moderates notes. */
export function mayChangeNote(user: { id: number; role: Role }, note: { authorId?: number | null }): boolean {
  if (!can(user.role, 'notes.write')) return false;
  return (typeof note.authorId === 'number' && note.authorId === user.id) || can(user.role, 'notes.moderate');
}
