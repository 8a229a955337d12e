import { EDITABLE_CLIENT_FIELDS, type EditableClientField } from '../../../shared/client-fields';
import type { ClientDto } from '../../lib/trpc';
import { type ClientForm, type FormValues, toFormValues } from '../card/form-values';

/** Fields whose form value differs from the record the form started from: this user's unsaved edits. */
export function editedFields(values: FormValues, base: ClientDto): Set<EditableClientField> {
  const started = toFormValues(base);
  return new Set(EDITABLE_CLIENT_FIELDS.filter((field) => !Object.is(values[field], started[field])));
}

/**
 * Takes someone else's saved record into a form with unsaved edits: fields this user has not touched get the new
 * values in place; edited ones keep the user's value. Returns the new baseline: the new record, except that edited
 * fields keep the value the user started from, so saving sends them with that base and the server reports a
 * conflict where someone else changed the same field.
 */
export function takeRemoteValues(
  form: Pick<ClientForm, 'getValues' | 'resetField'>,
  base: ClientDto,
  remote: ClientDto,
): ClientDto {
  const edited = editedFields(form.getValues(), base);
  const incoming = toFormValues(remote);
  const baseline: Record<string, unknown> = { ...remote };
  for (const field of EDITABLE_CLIENT_FIELDS) {
    if (edited.has(field)) baseline[field] = (base as unknown as Record<string, unknown>)[field];
    else form.resetField(field, { defaultValue: incoming[field] });
  }
  return baseline as unknown as ClientDto;
}
