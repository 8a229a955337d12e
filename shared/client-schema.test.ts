import { afterEach, describe, expect, it } from 'vitest';
import {
  checkClientReferences,
  clientChangesSchema,
  clientListInputSchema,
  clientRecordSchema,
  normalizeWebsite,
} from './client-schema';
import { fieldErrorsFrom } from './field-errors';
import { setValidationLocale } from './messages';

function errorsOf(input: Record<string, unknown>): Record<string, string[]> {
  const result = clientRecordSchema.safeParse(input);
  return result.success ? {} : fieldErrorsFrom(result.error.issues);
}

afterEach(() => setValidationLocale('en'));

describe('client record', () => {
  it('needs only a name and fills the defaults', () => {
    const record = clientRecordSchema.parse({ name: '  Anna Nowak ' });
    expect(record).toMatchObject({
      name: 'Anna Nowak',
      email: null,
      status: 'active',
      loginAllowed: false,
      emailNotifications: true,
    });
  });

  it('refuses a missing or empty name, naming the field', () => {
    expect(errorsOf({})).toEqual({ name: ['Full name is required.'] });
    expect(errorsOf({ name: '   ' })).toEqual({ name: ['Full name is required.'] });
  });

  it('lower-cases e-mail and refuses a malformed one', () => {
    expect(clientRecordSchema.parse({ name: 'A', email: 'Anna@Example.COM' }).email).toBe('anna@example.com');
    expect(errorsOf({ name: 'A', email: 'not-an-email' }).email?.[0]).toMatch(/E-mail must be an e-mail address/);
  });

  it('reads phones with the country and stores E.164', () => {
    const record = clientRecordSchema.parse({
      name: 'A',
      country: 'pl',
      mobile: '601 234 567',
      officePhone: '+49 30 901820',
    });
    expect(record.country).toBe('PL');
    expect(record.mobile).toBe('+48601234567');
    expect(record.officePhone).toBe('+4930901820');
    expect(errorsOf({ name: 'A', country: 'PL', mobile: '123' }).mobile?.[0]).toMatch(
      /Mobile phone is not a valid phone number/,
    );
  });

  it('refuses unknown country and language codes', () => {
    expect(errorsOf({ name: 'A', country: 'XX' }).country?.[0]).toContain('"XX"');
    expect(errorsOf({ name: 'A', language: 'zz' }).language?.[0]).toContain('"zz"');
    expect(clientRecordSchema.parse({ name: 'A', language: 'PL' }).language).toBe('pl');
  });

  it('normalizes websites and refuses other schemes', () => {
    expect(normalizeWebsite('example.com')).toBe('https://example.com');
    expect(normalizeWebsite('http://example.com/about?x=1')).toBe('http://example.com/about?x=1');
    expect(normalizeWebsite('javascript:alert(1)')).toBeNull();
    expect(normalizeWebsite('ftp://example.com')).toBeNull();
    expect(normalizeWebsite('localhost')).toBeNull();
    expect(clientRecordSchema.parse({ name: 'A', website: 'example.com' }).website).toBe('https://example.com');
    expect(errorsOf({ name: 'A', website: 'ftp://example.com' }).website).toHaveLength(1);
  });

  it('checks the e-invoicing pair and refuses deprecated schemes with their replacement', () => {
    expect(
      errorsOf({ name: 'A', electronicAddressScheme: '9955', electronicAddress: '5560360793' })
        .electronicAddressScheme?.[0],
    ).toMatch(/deprecated; use 0007/);
    expect(
      errorsOf({ name: 'A', electronicAddressScheme: '9901', electronicAddress: 'x' }).electronicAddressScheme?.[0],
    ).toMatch(/may no longer be used/);
    expect(
      errorsOf({ name: 'A', electronicAddressScheme: '1234', electronicAddress: 'x' }).electronicAddressScheme?.[0],
    ).toMatch(/not a Peppol electronic address scheme/);
    expect(errorsOf({ name: 'A', electronicAddressScheme: '0208' }).electronicAddress?.[0]).toMatch(/required when/);
    expect(errorsOf({ name: 'A', electronicAddress: '0123456789' }).electronicAddressScheme?.[0]).toMatch(
      /required when/,
    );
    expect(errorsOf({ name: 'A', electronicAddressScheme: '0208', electronicAddress: '0123456749' })).toEqual({});
  });

  it('refuses unknown fields and wrong enum values', () => {
    expect(clientRecordSchema.safeParse({ name: 'A', nickname: 'x' }).success).toBe(false);
    expect(errorsOf({ name: 'A', salutation: 'king' }).salutation?.[0]).toMatch(/Salutation must be one of: mr, mrs/);
    expect(errorsOf({ name: 'A', status: 'archived' }).status).toHaveLength(1);
  });

  it('speaks Polish when the UI does', () => {
    setValidationLocale('pl');
    expect(errorsOf({}).name).toEqual(['Pole „Imię i nazwisko” jest wymagane.']);
    expect(errorsOf({ name: 'A', email: 'x' }).email?.[0]).toMatch(/^Pole „E-mail” musi być adresem e-mail/);
  });

  it('enforces length limits with the limit in the message', () => {
    expect(errorsOf({ name: 'x'.repeat(201) }).name?.[0]).toBe('Full name can be at most 200 characters.');
  });
});

describe('tax number, postal code and e-invoicing address by country and scheme', () => {
  it('refuses a NIP with a wrong check digit, naming the field, the tax name, the country and an example', () => {
    expect(errorsOf({ name: 'A', country: 'PL', taxNumber: '526-000-12-47' }).taxNumber).toEqual([
      'Tax number is not a valid NIP for Poland: check the digits (the last one is a check digit). Example: 526-000-12-46.',
    ]);
  });

  it('says it in Polish when the interface is Polish', () => {
    setValidationLocale('pl');
    expect(errorsOf({ name: 'A', country: 'PL', postalCode: '0095' }).postalCode?.[0]).toMatch(
      /nie wygląda na kod pocztowy w kraju Polska\. Wpisz go jak 00-950/,
    );
  });

  it('stores tax numbers, postal codes and addresses normalized', () => {
    const record = clientRecordSchema.parse({
      name: 'A',
      country: 'PL',
      taxNumber: '526 000 12 46',
      postalCode: '00950',
      electronicAddressScheme: '0208',
      electronicAddress: '0403.019.261',
    });
    expect(record).toMatchObject({ taxNumber: '5260001246', postalCode: '00-950', electronicAddress: '0403019261' });
  });

  it('refuses an electronic address that does not fit its scheme', () => {
    expect(
      errorsOf({ name: 'A', electronicAddressScheme: '0208', electronicAddress: '0403019262' }).electronicAddress?.[0],
    ).toMatch(/does not fit scheme 0208.*Example: 0403019261/);
  });

  it('checks the tax number against the chosen country only', () => {
    expect(errorsOf({ name: 'A', country: 'DE', taxNumber: '526-000-12-46' }).taxNumber).toHaveLength(1);
    expect(errorsOf({ name: 'A', country: 'JP', taxNumber: '526-000-12-46' })).toEqual({});
    expect(errorsOf({ name: 'A', taxNumber: 'anything' })).toEqual({});
  });
});

describe('references', () => {
  const retail = { id: 1, name: 'Retail' };
  const wholesale = { id: 2, name: 'Wholesale' };
  const eshop = { id: 10, name: 'E-commerce', categoryId: 1 };

  it('accepts a sub-category of the chosen category', () => {
    expect(checkClientReferences({ categoryId: 1, subcategoryId: 10 }, retail, eshop)).toEqual([]);
  });

  it('refuses a sub-category of another category, naming both', () => {
    const [issue] = checkClientReferences({ categoryId: 2, subcategoryId: 10 }, wholesale, eshop);
    expect(issue?.path).toEqual(['subcategoryId']);
    expect(issue?.message).toBe('Sub-category "E-commerce" does not belong to the chosen category "Wholesale".');
  });

  it('refuses ids that do not exist', () => {
    expect(checkClientReferences({ categoryId: 7, subcategoryId: null }, null, null)[0]?.path).toEqual(['categoryId']);
    expect(checkClientReferences({ categoryId: 1, subcategoryId: 99 }, retail, null)[0]?.path).toEqual([
      'subcategoryId',
    ]);
  });

  it('needs a category before a sub-category', () => {
    expect(errorsOf({ name: 'A', subcategoryId: 10 }).subcategoryId?.[0]).toMatch(/needs a category/);
  });
});

describe('update changes', () => {
  it('accepts known fields with base and value', () => {
    expect(clientChangesSchema.safeParse({ name: { base: 'A', value: 'B' } }).success).toBe(true);
  });

  it('refuses unknown fields and missing parts', () => {
    expect(clientChangesSchema.safeParse({ version: { base: 1, value: 2 } }).success).toBe(false);
    expect(clientChangesSchema.safeParse({ name: { value: 'B', extra: 1 } }).success).toBe(false);
  });
});

describe('list input', () => {
  it('fills defaults', () => {
    expect(clientListInputSchema.parse({})).toEqual({ sort: 'createdAt', direction: 'desc', page: 1, pageSize: 25 });
  });

  it('refuses page sizes other than 25, 50, 100 and reversed date ranges', () => {
    expect(clientListInputSchema.safeParse({ pageSize: 30 }).success).toBe(false);
    expect(clientListInputSchema.safeParse({ pageSize: 100 }).success).toBe(true);
    expect(clientListInputSchema.safeParse({ createdFrom: '2026-02-01', createdTo: '2026-01-01' }).success).toBe(false);
    expect(clientListInputSchema.safeParse({ createdFrom: '01.02.2026' }).success).toBe(false);
    expect(clientListInputSchema.safeParse({ country: 'XX' }).success).toBe(false);
  });
});
