import { z } from 'zod';
import { clientListInputSchema } from './client-schema';
import { LIST_COLUMNS } from './enums';
import type { Localized } from './locale';
import { validationLocale } from './messages';

export { LIST_COLUMNS, type ListColumn } from './enums';

const VIEW_MESSAGES = {
  nameRequired: { en: 'View name is required.', pl: 'Pole „Nazwa widoku” jest wymagane.' },
  nameTooLong: { en: 'View name can be at most 100 characters.', pl: 'Nazwa widoku może mieć najwyżej 100 znaków.' },
  nameTaken: {
    en: 'You already have a view named "{name}"; pick another name.',
    pl: 'Masz już widok o nazwie „{name}”; wybierz inną nazwę.',
  },
  columns: {
    en: 'Columns must be chosen from: {options}, each at most once.',
    pl: 'Kolumny należy wybrać spośród: {options}, każdą najwyżej raz.',
  },
} as const satisfies Record<string, Localized>;

export function viewMessage(key: keyof typeof VIEW_MESSAGES, params: Record<string, string> = {}): string {
  return VIEW_MESSAGES[key][validationLocale()].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

export const viewNameSchema = z
  .string({ error: () => viewMessage('nameRequired') })
  .trim()
  .min(1, { error: () => viewMessage('nameRequired') })
  .max(100, { error: () => viewMessage('nameTooLong') });

/**
 * What a view remembers: the list's input (validated by the list's own schema; a view always opens on page 1,
 * so the page is not kept) and the optional columns shown.
 */
export const savedViewSettingsSchema = z
  .object({
    input: clientListInputSchema.transform(({ page: _page, ...rest }) => rest),
    columns: z
      .array(z.enum(LIST_COLUMNS, { error: () => viewMessage('columns', { options: LIST_COLUMNS.join(', ') }) }))
      .refine((columns) => new Set(columns).size === columns.length, {
        error: () => viewMessage('columns', { options: LIST_COLUMNS.join(', ') }),
      })
      .default([]),
  })
  .strict();
export type SavedViewSettings = z.output<typeof savedViewSettingsSchema>;

/** `views.save`: a new view, or, with `id`, new settings (and name and sharing) for an existing one. */
export const saveViewInputSchema = z
  .object({
    id: z.number().int().positive().optional(),
    name: viewNameSchema,
    shared: z.boolean().default(false),
  })
  .extend(savedViewSettingsSchema.shape)
  .strict();
export type SaveViewInput = z.input<typeof saveViewInputSchema>;
