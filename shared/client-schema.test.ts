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
    // The same national number means another line in another country.
    expect(clientRecordSchema.parse({ name: 'A', country: 'DE', officePhone: '030 901820' }).officePhone).toBe(
      '+4930901820',
    );
    expect(clientRecordSchema.parse({ name: 'A', country: 'GB', mobile: '07400 123456' }).mobile).toBe('+447400123456');
    expect(clientRecordSchema.parse({ name: 'A', mobile: '+1 (212) 555-0123' }).mobile).toBe('+12125550123');
  });

  it('refuses a phone that is not a valid number for its country, saying how to write it', () => {
    expect(errorsOf({ name: 'A', country: 'PL', mobile: '601 234' }).mobile).toEqual([
      'Mobile phone is not a valid phone number. Enter it with the country dial code, e.g. +48 601 234 567.',
    ]);
    // Nine digits are a Polish number, not a German one; without a country a dial code is needed.
    expect(errorsOf({ name: 'A', country: 'DE', mobile: '601 234 567' }).mobile).toHaveLength(1);
    expect(errorsOf({ name: 'A', officePhone: '601 234 567' }).officePhone).toHaveLength(1);
    expect(errorsOf({ name: 'A', country: 'PL', mobile: 'call me' }).mobile).toHaveLength(1);
  });

  it('refuses unknown country and language codes', () => {
    expect(errorsOf({ name: 'A', country: 'XX' }).country?.[0]).toContain('"XX"');
    expect(errorsOf({ name: 'A', language: 'zz' }).language?.[0]).toContain('"zz"');
    expect(clientRecordSchema.parse({ name: 'A', language: 'PL' }).language).toBe('pl');
  });

  it('normalizes websites and refuses other schemes', () => {
    expect(normalizeWebsite('example.com')).toBe('https://example.com');
    expect(normalizeWebsite('www.example.com/about')).toBe('https://www.example.com/about');
    expect(normalizeWebsite('HTTP://Example.COM')).toBe('http://example.com');
    expect(normalizeWebsite('http://example.com/about?x=1')).toBe('http://example.com/about?x=1');
    expect(normalizeWebsite('https://zażółć.pl')).toBe('https://xn--za-6ja4f8n1l.pl');
    expect(normalizeWebsite('javascript:alert(1)')).toBeNull();
    expect(normalizeWebsite('ftp://example.com')).toBeNull();
    expect(normalizeWebsite('mailto:anna@example.com')).toBeNull();
    expect(normalizeWebsite('https://user:secret@example.com')).toBeNull();
    expect(normalizeWebsite('localhost')).toBeNull();
    expect(normalizeWebsite('not a url')).toBeNull();
    expect(clientRecordSchema.parse({ name: 'A', website: ' example.com ' }).website).toBe('https://example.com');
    expect(errorsOf({ name: 'A', website: 'ftp://example.com' }).website).toEqual([
      'Official website must be a web address starting with http:// or https://, e.g. https://example.com.',
    ]);
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
  it('refuses a NIP with a wrong check digit, naming the field, the tax name and a valid example', () => {
    expect(errorsOf({ name: 'A', country: 'PL', taxNumber: '526-000-12-47' }).taxNumber).toEqual([
      "Tax number: this NIP number fails its check digit, so a digit is probably mistyped. Check it against the client's documents (a valid one looks like 526-000-12-46).",
    ]);
  });

  it('tells a number of the wrong shape apart from a mistyped digit', () => {
    expect(errorsOf({ name: 'A', country: 'PL', taxNumber: '526-000-12' }).taxNumber).toEqual([
      "Tax number: NIP numbers from Poland look like 526-000-12-46; this one has the wrong length or characters. Check it against the client's documents.",
    ]);
    expect(errorsOf({ name: 'A', country: 'US', taxNumber: '07-1144442' }).taxNumber?.[0]).toMatch(
      /^Tax number: EIN numbers from United States look like 12-3456789/,
    );
  });

  it('names the country of a VAT prefix the number was written with', () => {
    expect(errorsOf({ name: 'A', country: 'PL', taxNumber: 'DE136695977' }).taxNumber?.[0]).toMatch(
      /this USt-IdNr\. number fails its check digit.*DE136695976/,
    );
    expect(errorsOf({ name: 'A', country: 'PL', taxNumber: 'DE136695976' })).toEqual({});
  });

  it('says it in Polish when the interface is Polish', () => {
    setValidationLocale('pl');
    expect(errorsOf({ name: 'A', country: 'PL', postalCode: '0095' }).postalCode).toEqual([
      'Pole „Kod pocztowy” nie wygląda na kod pocztowy w kraju Polska. Wpisz go jak 00-950.',
    ]);
    expect(errorsOf({ name: 'A', country: 'PL', taxNumber: '5260001247' }).taxNumber).toEqual([
      'Pole „Numer podatkowy”: ten numer NIP ma błędną cyfrę kontrolną, więc któraś cyfra jest pewnie pomylona. Sprawdź go w dokumentach klienta (poprawny wygląda tak: 526-000-12-46).',
    ]);
    expect(
      errorsOf({ name: 'A', electronicAddressScheme: '0106', electronicAddress: '1708798' }).electronicAddress,
    ).toEqual([
      'Pole „Adres elektroniczny”: adres w schemacie 0106 wygląda tak: 17087985; ten ma złą długość lub znaki.',
    ]);
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
    const british = clientRecordSchema.parse({
      name: 'B',
      country: 'gb',
      postalCode: 'sw1a1aa',
      taxNumber: 'gb 980 7806 84',
    });
    expect(british).toMatchObject({ postalCode: 'SW1A 1AA', taxNumber: 'GB980780684' });
  });

  it('refuses an electronic address that does not fit its scheme, saying whether the shape or a digit is wrong', () => {
    expect(
      errorsOf({ name: 'A', electronicAddressScheme: '0208', electronicAddress: '0403019262' }).electronicAddress,
    ).toEqual([
      'Electronic address: this number fails the check digit of scheme 0208, so a digit is probably mistyped (a valid one looks like 0403019261).',
    ]);
    expect(
      errorsOf({ name: 'A', electronicAddressScheme: '0088', electronicAddress: '57900004359' }).electronicAddress?.[0],
    ).toMatch(/an address in scheme 0088 looks like 5790000435951; this one has the wrong length/);
    expect(
      errorsOf({ name: 'A', electronicAddressScheme: 'EM', electronicAddress: 'invoices@' }).electronicAddress,
    ).toEqual(['Electronic address must be an e-mail address like name@example.com.']);
  });

  it('checks the tax number and postal code against the chosen country only', () => {
    expect(errorsOf({ name: 'A', country: 'DE', taxNumber: '526-000-12-46' }).taxNumber).toHaveLength(1);
    expect(errorsOf({ name: 'A', country: 'KE', taxNumber: '526-000-12-46', postalCode: 'anything' })).toEqual({});
    expect(errorsOf({ name: 'A', taxNumber: 'anything', postalCode: '0' })).toEqual({});
    expect(errorsOf({ name: 'A', country: 'DE', postalCode: '00950' }).postalCode?.[0]).toMatch(
      /postal code in Germany\. Write it like 10115/,
    );
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
