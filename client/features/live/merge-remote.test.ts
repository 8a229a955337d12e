import { describe, expect, it } from 'vitest';
import type { ClientDto } from '../../lib/trpc';
import { type FormValues, toFormValues } from '../card/form-values';
import { editedFields, takeRemoteValues } from './merge-remote';

const record = (fields: Record<string, unknown>) => ({ status: 'active', ...fields }) as unknown as ClientDto;

/**
 * The two calls of react-hook-form that takeRemoteValues uses, over plain values (useForm needs a React render):
 * resetField with a defaultValue sets both the value and the default. The casts: react-hook-form's overloaded
 * generic signatures cannot be written for one plain object.
 */
function formOver(values: FormValues) {
  return {
    values,
    getValues: (() => ({ ...values })) as never,
    resetField: ((field: keyof FormValues, options: { defaultValue: never }) => {
      values[field] = options.defaultValue;
    }) as never,
  };
}

describe('takeRemoteValues', () => {
  const started = record({ companyName: 'Acme', city: 'Gdańsk', website: null });

  it('puts the saved values into the fields the user has not touched and keeps the edited ones', () => {
    const form = formOver({ ...toFormValues(started), companyName: 'Acme by Bea' });
    const remote = record({ companyName: 'Acme by Anna', city: 'Kraków', website: 'https://acme.example' });

    takeRemoteValues(form, started, remote);

    expect(form.values.companyName).toBe('Acme by Bea');
    expect(form.values.city).toBe('Kraków');
    expect(form.values.website).toBe('https://acme.example');
  });

  it('keeps the value the user started from as the base of an edited field, so saving it reports the conflict', () => {
    const form = formOver({ ...toFormValues(started), companyName: 'Acme by Bea' });
    const remote = record({ companyName: 'Acme by Anna', city: 'Kraków', website: null });

    const baseline = takeRemoteValues(form, started, remote);

    expect(baseline.companyName).toBe('Acme');
    expect(baseline.city).toBe('Kraków');
    // Nothing else counts as edited against the new baseline.
    expect([...editedFields(form.values, baseline)]).toEqual(['companyName']);
  });
});

describe('editedFields', () => {
  it('is empty for an untouched form and names each changed field', () => {
    const client = record({ companyName: 'Acme', loginAllowed: false });
    expect(editedFields(toFormValues(client), client).size).toBe(0);
    const values = { ...toFormValues(client), companyName: 'Other', loginAllowed: true };
    expect([...editedFields(values, client)].sort()).toEqual(['companyName', 'loginAllowed']);
  });
});
