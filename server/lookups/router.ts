import { z } from 'zod';
import { COUNTRY_CODES } from '../../shared/countries';
import { ACTIVE_EAS_SCHEMES, EAS_SCHEMES } from '../../shared/eas';
import { LANGUAGE_CODES } from '../../shared/languages';
import { allowed, router } from '../trpc';
import { categories, contractTypes, subcategories } from './service';

const id = z.number().int().positive();
const name = z.string().trim().min(1, 'Name is required.').max(100, 'Name can be at most 100 characters.');
const read = allowed('lookups.read');
const write = allowed('lookups.write');
const one = <T extends { id: number; name: string }>(row: T) => ({ id: row.id, name: row.name });
const named = <T extends { id: number; name: string }>(rows: T[]) => rows.map(one);

export const lookupsRouter = router({
  categories: read.query(async ({ ctx }) => named(await categories.list(ctx.em))),
  createCategory: write
    .input(z.object({ name }))
    .mutation(async ({ ctx, input }) => one(await categories.create(ctx.em, input.name))),
  renameCategory: write
    .input(z.object({ id, name }))
    .mutation(async ({ ctx, input }) => one(await categories.rename(ctx.em, input.id, input.name))),
  deleteCategory: write.input(z.object({ id })).mutation(({ ctx, input }) => categories.remove(ctx.em, input.id)),

  subcategories: read.input(z.object({ categoryId: id.optional() }).optional()).query(async ({ ctx, input }) =>
    (await subcategories.list(ctx.em, input?.categoryId)).map((row) => ({
      id: row.id,
      name: row.name,
      categoryId: row.categoryId,
    })),
  ),
  createSubcategory: write.input(z.object({ categoryId: id, name })).mutation(async ({ ctx, input }) => {
    const row = await subcategories.create(ctx.em, input.categoryId, input.name);
    return { id: row.id, name: row.name, categoryId: row.categoryId };
  }),
  renameSubcategory: write
    .input(z.object({ id, name }))
    .mutation(async ({ ctx, input }) => one(await subcategories.rename(ctx.em, input.id, input.name))),
  deleteSubcategory: write.input(z.object({ id })).mutation(({ ctx, input }) => subcategories.remove(ctx.em, input.id)),

  contractTypes: read.query(async ({ ctx }) => named(await contractTypes.list(ctx.em))),
  createContractType: write
    .input(z.object({ name }))
    .mutation(async ({ ctx, input }) => one(await contractTypes.create(ctx.em, input.name))),
  renameContractType: write
    .input(z.object({ id, name }))
    .mutation(async ({ ctx, input }) => one(await contractTypes.rename(ctx.em, input.id, input.name))),
  deleteContractType: write
    .input(z.object({ id }))
    .mutation(({ ctx, input }) => contractTypes.remove(ctx.em, input.id)),

  // Code lists: the names are localized by the browser from the codes (shared/countries.ts, languages.ts).
  countries: read.query(() => COUNTRY_CODES),
  languages: read.query(() => LANGUAGE_CODES),
  easSchemes: read
    .input(z.object({ includeDeprecated: z.boolean().optional() }).optional())
    .query(({ input }) => (input?.includeDeprecated ? EAS_SCHEMES : ACTIVE_EAS_SCHEMES)),
});
