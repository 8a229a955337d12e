import { z } from 'zod';
import { clientChangesSchema, clientListInputSchema, type clientRecordSchema } from '../../shared/client-schema';
import { CLIENT_STATUSES } from '../../shared/enums';
import { allowed, router } from '../trpc';
import { clientBreakdown } from './breakdown';
import { assignCategory, MAX_SELECTED_IDS, resolveSelection, selectionInput } from './bulk';
import { findDuplicates } from './duplicates';
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

export const clientsRouter = router({
  list: allowed('clients.read')
    .input(clientListInputSchema)
    .query(({ ctx, input }) => listClients(ctx.em, ctx.actor, input)),
  // The monitor's chart: active and inactive clients by category and by country (staff, as the monitor is).
  breakdown: allowed('activity.feed').query(({ ctx }) => clientBreakdown(ctx.em)),
  get: allowed('clients.read')
    .input(z.object({ id }))
    .query(({ ctx, input }) => getClient(ctx.em, ctx.actor, input.id)),
  // The record is validated by the service (with the database rules), so the raw input passes through here.
  create: allowed('clients.write')
    .input(z.record(z.string(), z.unknown()))
    .mutation(({ ctx, input }) => createClient(ctx.em, ctx.actor, input as z.input<typeof clientRecordSchema>)),
  // Before saving a new client: who might it already be? (see duplicates.ts)
  findDuplicates: allowed('clients.write')
    .input(
      z.object({
        email: z.string().max(254).nullish(),
        taxNumber: z.string().max(40).nullish(),
        country: z.string().max(2).nullish(),
        name: z.string().max(200).nullish(),
        companyName: z.string().max(200).nullish(),
        excludeId: id.optional(),
      }),
    )
    .query(({ ctx, input }) => findDuplicates(ctx.em, ctx.actor, input)),
  // Staff edit any card; a portal client only its own card's PORTAL_EDITABLE_FIELDS (the service checks both).
  update: allowed('clients.write', 'clients.writeOwn')
    .input(z.object({ id, changes: clientChangesSchema }))
    .mutation(({ ctx, input }) => updateClient(ctx.em, ctx.actor, input.id, input.changes)),
  // The ids of every client matching the list's input: the list sends a large bulk action in chunks of them, to
  // show its progress.
  matchingIds: allowed('clients.bulk')
    .input(clientListInputSchema)
    .query(({ ctx, input }) => resolveSelection(ctx.em, ctx.actor, { filter: input })),
  // Bulk actions take `ids` or `filter` (every client matching the list's input); see bulk.ts.
  setStatus: allowed('clients.setStatus')
    .input(selectionInput({ status: z.enum(CLIENT_STATUSES) }))
    .mutation(async ({ ctx, input }) => ({ affected: await setStatus(ctx.em, ctx.actor, input, input.status) })),
  assignCategory: allowed('clients.write')
    .input(selectionInput({ categoryId: id.nullable(), subcategoryId: id.nullable().optional() }))
    .mutation(async ({ ctx, input }) => ({ affected: await assignCategory(ctx.em, ctx.actor, input, input) })),
  // Answers the ids it deleted, so an Undo can send them to restore.
  delete: allowed('clients.delete')
    .input(selectionInput({}))
    .mutation(async ({ ctx, input }) => {
      const deleted = await deleteClients(ctx.em, ctx.actor, input);
      return { affected: deleted.length, ids: deleted };
    }),
  restore: allowed('clients.delete')
    .input(z.object({ ids: z.array(id).min(1, 'Choose at least one client.').max(MAX_SELECTED_IDS) }))
    .mutation(async ({ ctx, input }) => ({ affected: await restoreClients(ctx.em, ctx.actor, input.ids) })),
});
