import { z } from 'zod';
import { noteBodySchema, noteVisibilitySchema } from '../../shared/notes';
import { allowed, router } from '../trpc';
import { addNote, deleteNote, listNotes, updateNote } from './service';

const id = z.number().int().positive();

// Who may see or change which note (private ones, other people's) is the service's call: it needs the note.
export const notesRouter = router({
  list: allowed('clients.read')
    .input(z.object({ clientId: id }))
    .query(({ ctx, input }) => listNotes(ctx.em, ctx.actor, input.clientId)),
  add: allowed('notes.write')
    .input(z.object({ clientId: id, body: noteBodySchema, visibility: noteVisibilitySchema }))
    .mutation(({ ctx, input }) => addNote(ctx.em, ctx.actor, input)),
  update: allowed('notes.write')
    .input(z.object({ id, body: noteBodySchema.optional(), visibility: noteVisibilitySchema.optional() }))
    .mutation(({ ctx, input }) => updateNote(ctx.em, ctx.actor, input)),
  delete: allowed('notes.write')
    .input(z.object({ id }))
    .mutation(({ ctx, input }) => deleteNote(ctx.em, ctx.actor, input.id)),
});
