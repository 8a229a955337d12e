import { z } from 'zod';
import { allowed, router } from '../trpc';
import { deleteFile, listDocuments } from './service';

const id = z.number().int().positive();

// Uploads and downloads carry bytes, so they are plain HTTP routes (routes.ts); these two are ordinary calls.
// Whose document may be deleted, and which client a portal user may see, is the service's call.
export const filesRouter = router({
  list: allowed('clients.read')
    .input(z.object({ clientId: id }))
    .query(({ ctx, input }) => listDocuments(ctx.em, ctx.actor, input.clientId)),
  delete: allowed('clients.write')
    .input(z.object({ id }))
    .mutation(({ ctx, input }) => deleteFile(ctx.em, ctx.actor, input.id)),
});
