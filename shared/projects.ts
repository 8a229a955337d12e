import { z } from 'zod';
import type { Localized } from './locale';
import { message, validationLocale } from './messages';
import { cleanLine } from './plain-text';

/** The rules for a client's projects and contracts, used by the card's forms and by the server. */

export const PROJECT_NAME_MAX = 200;
export const CONTRACT_SUBJECT_MAX = 200;

const LABELS = {
  name: { en: 'Project name', pl: 'Nazwa projektu' },
  subject: { en: 'Subject', pl: 'Przedmiot umowy' },
  typeId: { en: 'Contract type', pl: 'Rodzaj umowy' },
} as const satisfies Record<string, Localized>;

export type ProjectField = keyof typeof LABELS;

/** The field's name as the forms label it, in the current language (shared/messages.ts words the rest). */
export const projectFieldLabel = (field: ProjectField) => LABELS[field][validationLocale()];

function requiredLine(field: ProjectField, max: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? cleanLine(value) : value),
    z
      .string({ error: () => message('required', { field: projectFieldLabel(field) }) })
      .min(1, { error: () => message('required', { field: projectFieldLabel(field) }) })
      .max(max, { error: () => message('tooLong', { field: projectFieldLabel(field), max }) }),
  );
}

export const projectNameSchema = requiredLine('name', PROJECT_NAME_MAX);
export const contractSubjectSchema = requiredLine('subject', CONTRACT_SUBJECT_MAX);

/** A contract type's id; the form's select sends its value as text. */
export const contractTypeIdSchema = z.preprocess(
  (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
  z
    .number({ error: () => message('required', { field: projectFieldLabel('typeId') }) })
    .int()
    .positive({ error: () => message('required', { field: projectFieldLabel('typeId') }) }),
);

export const projectInputSchema = z.object({ name: projectNameSchema });
export const contractInputSchema = z.object({ typeId: contractTypeIdSchema, subject: contractSubjectSchema });
export type ContractInput = z.output<typeof contractInputSchema>;

/** The message for a contract type that does not exist (any more). */
export function unknownContractType(id: number): string {
  return message('unknownLookup', { field: projectFieldLabel('typeId'), value: id });
}
