import { z } from 'zod';
import { saveViewInputSchema, viewNameSchema } from '../../shared/saved-views';
import { allowed, router } from '../trpc';
import { deleteView, listViews, renameView, saveView } from './service';

const id = z.number().int().positive();

/** Saved list views: `list` (the caller's own, then the shared ones), `save`, `rename`, `delete`. */
export const viewsRouter = router({
  list: allowed('views.use').query(({ ctx }) => listViews(ctx.em, ctx.actor)),
  save: allowed('views.use')
    .input(saveViewInputSchema)
    .mutation(({ ctx, input }) => saveView(ctx.em, ctx.actor, input)),
  rename: allowed('views.use')
    .input(z.object({ id, name: viewNameSchema }).strict())
    .mutation(({ ctx, input }) => renameView(ctx.em, ctx.actor, input.id, input.name)),
  delete: allowed('views.use')
    .input(z.object({ id }).strict())
    .mutation(async ({ ctx, input }) => {
      await deleteView(ctx.em, ctx.actor, input.id);
      return { deleted: input.id };
    }),
});
