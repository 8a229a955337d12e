import { zodResolver } from '@hookform/resolvers/zod';
import { type Resolver, useForm } from 'react-hook-form';
import { EDITABLE_CLIENT_FIELDS, type EditableClientField } from '../../../shared/client-fields';
import { type ClientRecord, clientRecordSchema } from '../../../shared/client-schema';
import { formatPhone } from '../../lib/phone';
import type { ClientDto } from '../../lib/trpc';

export const FLAG_FIELDS = ['loginAllowed', 'emailNotifications'] as const;
type FlagField = (typeof FLAG_FIELDS)[number];

/** What the form holds: text for every box (ids too, as select values), booleans for the two flags. */
export type FormValues = { [K in EditableClientField]: K extends FlagField ? boolean : string };

export function emptyValues(): FormValues {
  const values = Object.fromEntries(EDITABLE_CLIENT_FIELDS.map((field) => [field, ''])) as Record<string, unknown>;
  values.status = 'active';
  values.loginAllowed = false;
  values.emailNotifications = true;
  return values as FormValues;
}

export function toFormValues(client: ClientDto): FormValues {
  const values = emptyValues() as Record<string, unknown>;
  for (const field of EDITABLE_CLIENT_FIELDS) {
    const value = (client as unknown as Record<string, unknown>)[field];
    if ((FLAG_FIELDS as readonly string[]).includes(field)) values[field] = Boolean(value);
    else if (field === 'mobile' || field === 'officePhone') values[field] = formatPhone(value as string | null);
    else values[field] = value === null || value === undefined ? '' : String(value);
  }
  return values as FormValues;
}

export type Changes = Partial<Record<EditableClientField, { base: unknown; value: unknown }>>;

/** Only the fields whose validated value differs from what the server gave us, each with that value as base. */
export function changesBetween(record: ClientRecord, base: ClientDto): Changes {
  const changes: Changes = {};
  for (const field of EDITABLE_CLIENT_FIELDS) {
    const before = (base as unknown as Record<string, unknown>)[field] ?? null;
    const after = (record as Record<string, unknown>)[field] ?? null;
    if (!Object.is(before, after)) changes[field] = { base: before, value: after };
  }
  return changes;
}

const resolver = zodResolver(clientRecordSchema) as unknown as Resolver<FormValues, unknown, ClientRecord>;

export function useClientForm(defaultValues: FormValues) {
  return useForm<FormValues, unknown, ClientRecord>({
    defaultValues,
    resolver,
    mode: 'onTouched',
    reValidateMode: 'onChange',
  });
}

export type ClientForm = ReturnType<typeof useClientForm>;

/** Puts the server's per-field messages on the fields; returns the ones that belong to no field. */
export function applyServerErrors(form: ClientForm, fieldErrors: Record<string, string[]>): string[] {
  const orphans: string[] = [];
  let focused = false;
  for (const [field, messages] of Object.entries(fieldErrors)) {
    const text = messages.join(' ');
    if ((EDITABLE_CLIENT_FIELDS as readonly string[]).includes(field)) {
      form.setError(field as EditableClientField, { type: 'server', message: text }, { shouldFocus: !focused });
      focused = true;
    } else {
      orphans.push(text);
    }
  }
  return orphans;
}
