import { z } from 'zod';
import { clientChangesSchema, clientListInputSchema, type clientRecordSchema } from '../../shared/client-schema';
import { CLIENT_STATUSES } from '../../shared/enums';
import { allowed, router } from '../trpc';
import {
  createClient,
  deleteClients,
  getClient,
  listClients,
  restoreClients,
  setStatus,
  updateClient,
} from './service';

const id = z.number().int().positive();
const ids = z.array(id).min(1, 'Choose at least one client.').max(10_000);

export const clientsRouter = router({
  list: allowed('clients.read')
    .input(clientListInputSchema)
    .query(({ ctx, input }) => listClients(ctx.em, ctx.actor, input)),
  get: allowed('clients.read')
    .input(z.object({ id }))
    .query(({ ctx, input }) => getClient(ctx.em, ctx.actor, input.id)),
  // The record is validated by the service (with the database rules), so the raw input passes through here.
  create: allowed('clients.write')
    .input(z.record(z.string(), z.unknown()))
    .mutation(({ ctx, input }) => createClient(ctx.em, ctx.actor, input as z.input<typeof clientRecordSchema>)),
  update: allowed('clients.write')
    .input(z.object({ id, changes: clientChangesSchema }))
    .mutation(({ ctx, input }) => updateClient(ctx.em, ctx.actor, input.id, input.changes)),
  setStatus: allowed('clients.setStatus')
    .input(z.object({ ids, status: z.enum(CLIENT_STATUSES) }))
    .mutation(async ({ ctx, input }) => ({ updated: await setStatus(ctx.em, ctx.actor, input.ids, input.status) })),
  delete: allowed('clients.delete')
    .input(z.object({ ids }))
    .mutation(async ({ ctx, input }) => ({ deleted: await deleteClients(ctx.em, ctx.actor, input.ids) })),
  restore: allowed('clients.delete')
    .input(z.object({ ids }))
    .mutation(async ({ ctx, input }) => ({ restored: await restoreClients(ctx.em, ctx.actor, input.ids) })),
});
