import { describe, expect, it } from 'vitest';
import { checkTaxNumber, isUsualTaxName, suggestedTaxName, taxNumberBody } from './tax-numbers';
import {
  EU_VAT_VALID,
  EU_VAT_WRONG_CHECK,
  EU_VAT_WRONG_FORMAT,
  OTHER_VALID,
  OTHER_WRONG_CHECK,
  OTHER_WRONG_FORMAT,
} from './tax-numbers.vectors';

/** Each line of a vector list with the country its VAT prefix names. */
function byPrefix(list: string): [country: string, number: string][] {
  return list
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const prefix = line.slice(0, 2).toUpperCase();
      return [prefix === 'EL' ? 'GR' : prefix, line];
    });
}

const EU_COUNTRIES = 'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' ');

describe('tax numbers: real numbers', () => {
  it('covers every EU member state with real numbers', () => {
    const countries = new Set(byPrefix(EU_VAT_VALID).map(([country]) => country));
    // Croatia has no published list there; its OIB examples are below.
    expect(EU_COUNTRIES.filter((country) => !countries.has(country))).toEqual(['HR']);
  });

  it.each([...byPrefix(EU_VAT_VALID), ...OTHER_VALID])('accepts %s %s', (country, number) => {
    expect(checkTaxNumber(number, country)).toMatchObject({ valid: true, country });
  });

  it.each([...byPrefix(EU_VAT_WRONG_CHECK), ...OTHER_WRONG_CHECK])(
    'refuses %s %s for its check digit',
    (country, number) => {
      expect(checkTaxNumber(number, country)).toMatchObject({ valid: false, problem: 'checksum' });
    },
  );

  it.each([...byPrefix(EU_VAT_WRONG_FORMAT), ...OTHER_WRONG_FORMAT])(
    'refuses %s %s for its shape',
    (country, number) => {
      expect(checkTaxNumber(number, country)).toMatchObject({ valid: false, problem: 'format' });
    },
  );

  it('checks Croatian OIBs (ISO 7064 Mod 11,10) and Italian office codes', () => {
    expect(checkTaxNumber('HR 33392005961', 'HR').valid).toBe(true);
    expect(checkTaxNumber('33392005962', 'HR').problem).toBe('checksum');
    // 998 is no Italian tax office, although the Luhn digit fits.
    expect(checkTaxNumber('IT 00687129980', 'IT').valid).toBe(false);
  });

  it('checks the birth date inside personal numbers used as VAT numbers', () => {
    expect(checkTaxNumber('LV 161175-19997', 'LV').valid).toBe(true);
    expect(checkTaxNumber('LV 161375-19997', 'LV').valid).toBe(false); // month 13
    expect(checkTaxNumber('CZ 7103192745', 'CZ').valid).toBe(true);
    expect(checkTaxNumber('CZ 1103492745', 'CZ').valid).toBe(false); // the 49th of March
    expect(checkTaxNumber('BG 7542011030', 'BG').valid).toBe(true);
  });
});

describe('tax numbers: writing and storing', () => {
  it('stores the number upper case without punctuation, keeping a prefix the user wrote', () => {
    expect(checkTaxNumber('526-000-12-46', 'PL').normalized).toBe('5260001246');
    expect(checkTaxNumber('pl 526 000 12 46', 'PL').normalized).toBe('PL5260001246');
    expect(checkTaxNumber('BE (0)468.561.072', 'BE').normalized).toBe('BE0468561072');
    expect(checkTaxNumber('CHE-116.281.710 MWST', 'CH').normalized).toBe('CHE116281710MWST');
  });

  it('checks a number written with another country’s VAT prefix by that country', () => {
    expect(checkTaxNumber('DE 136 695 976', 'PL')).toMatchObject({ valid: true, country: 'DE' });
    expect(checkTaxNumber('DE136695977', 'PL')).toMatchObject({ valid: false, country: 'DE', taxName: 'USt-IdNr.' });
    expect(checkTaxNumber('526-000-12-47', 'PL')).toMatchObject({ valid: false, country: 'PL', taxName: 'NIP' });
  });

  it('takes any text for countries without a published rule', () => {
    expect(checkTaxNumber(' ABN 51 824 753 556 ', 'AU')).toEqual({ valid: true, normalized: 'ABN 51 824 753 556' });
    expect(checkTaxNumber('whatever', null).valid).toBe(true);
  });

  it('gives the number without its country prefix, so the same number written two ways matches', () => {
    expect(taxNumberBody('PL 526-000-12-46', 'PL')).toBe('5260001246');
    expect(taxNumberBody('EL094259216', 'GR')).toBe('094259216');
    expect(taxNumberBody('NL4495445B01', 'NL')).toBe(taxNumberBody('NL004495445B01', 'NL'));
    expect(taxNumberBody('BE0403019261', null)).toBe('0403019261');
  });

  it('suggests what the tax number is called in the country', () => {
    expect(suggestedTaxName('PL')).toBe('NIP');
    expect(suggestedTaxName('DE')).toBe('USt-IdNr.');
    expect(suggestedTaxName('NO')).toBe('MVA');
    expect(suggestedTaxName('IN')).toBe('GSTIN');
    expect(suggestedTaxName('US')).toBe('EIN');
    expect(suggestedTaxName('CH')).toBe('UID');
    expect(suggestedTaxName('GB')).toBe('VAT');
    expect(suggestedTaxName('JP')).toBeNull();
    expect(suggestedTaxName(null)).toBeNull();
  });

  it('knows which tax names are merely some country’s usual one', () => {
    expect(isUsualTaxName('NIP')).toBe(true);
    expect(isUsualTaxName(' USt-IdNr. ')).toBe(true);
    expect(isUsualTaxName('Steuernummer')).toBe(false);
  });
});
