import { describe, expect, it } from 'vitest';
import { checkTaxNumber, suggestedTaxName, taxNumberBody } from './tax-numbers';

// Published valid numbers (national examples and the python-stdnum test vectors), as people type them.
const VALID: [country: string, number: string][] = [
  ['AT', 'ATU13585627'],
  ['BE', 'BE 0403.019.261'],
  ['BE', '403019261'],
  ['BG', 'BG175074752'],
  ['CY', 'CY10259033P'],
  ['CZ', 'CZ25123891'],
  ['DE', 'DE 136 695 976'],
  ['DK', 'DK13585628'],
  ['EE', 'EE100931558'],
  ['ES', 'ESA13585625'],
  ['ES', '12345678Z'],
  ['ES', 'X1234567L'],
  ['FI', 'FI20774740'],
  ['FR', 'FR 40 303 265 045'],
  ['GR', 'EL094259216'],
  ['HR', 'HR33392005961'],
  ['HU', 'HU12892312'],
  ['IE', 'IE6433435F'],
  ['IE', 'IE8Z49289F'],
  ['IT', 'IT00743110157'],
  ['LT', 'LT119511515'],
  ['LU', 'LU15027442'],
  ['LV', 'LV40003521600'],
  ['MT', 'MT11679112'],
  ['NL', 'NL004495445B01'],
  ['PL', '526-000-12-46'],
  ['PL', 'PL5260001246'],
  ['PT', 'PT501964843'],
  ['RO', 'RO18547290'],
  ['SE', 'SE556188840401'],
  ['SI', 'SI50223054'],
  ['SK', 'SK2022749619'],
  ['GB', 'GB980780684'],
  ['NO', '974 760 673 MVA'],
  ['CH', 'CHE-116.281.710 MWST'],
  ['IN', '27AAPFU0939F1ZV'],
  ['US', '12-3456789'],
];

/** The same number with its last character changed: a wrong check digit. */
function withWrongCheck(number: string): string {
  const match = /([0-9A-Z])([^0-9A-Z]*(?:MVA|MWST)?)$/.exec(number);
  if (!match) throw new Error(number);
  const last = match[1] as string;
  const next = /\d/.test(last)
    ? String((Number(last) + 1) % 10)
    : last === 'Z'
      ? 'A'
      : String.fromCharCode(last.charCodeAt(0) + 1);
  return number.slice(0, match.index) + next + match[2];
}

describe('tax numbers', () => {
  it.each(VALID)('accepts a valid %s number: %s', (country, number) => {
    expect(checkTaxNumber(number, country).valid).toBe(true);
  });

  it.each(VALID.filter(([country]) => !['US', 'NL'].includes(country)))(
    'refuses a %s number with a wrong check digit: %s',
    (country, number) => {
      expect(checkTaxNumber(withWrongCheck(number), country).valid).toBe(false);
    },
  );

  it('refuses a Dutch number whose ninth digit (its check digit, before the branch suffix) is wrong', () => {
    expect(checkTaxNumber('NL004495446B01', 'NL').valid).toBe(false);
    expect(checkTaxNumber('NL004495445B02', 'NL').valid).toBe(true);
  });

  it('refuses numbers of the wrong length or shape', () => {
    expect(checkTaxNumber('52600012', 'PL').valid).toBe(false);
    expect(checkTaxNumber('DE12345', 'DE').valid).toBe(false);
    expect(checkTaxNumber('ATX13585627', 'AT').valid).toBe(false);
    expect(checkTaxNumber('27AAPFU0939F1XV', 'IN').valid).toBe(false);
    expect(checkTaxNumber('CHE-116.281.71', 'CH').valid).toBe(false);
  });

  it('refuses an EIN with a prefix the IRS never assigns', () => {
    expect(checkTaxNumber('07-3456789', 'US').valid).toBe(false);
    expect(checkTaxNumber('123456789', 'US').valid).toBe(true);
  });

  it('refuses a GSTIN with an unknown state code', () => {
    expect(checkTaxNumber('45AAPFU0939F1ZV', 'IN').valid).toBe(false);
  });

  it('stores the number without punctuation and keeps a prefix the user wrote', () => {
    expect(checkTaxNumber('526-000-12-46', 'PL').normalized).toBe('5260001246');
    expect(checkTaxNumber('pl 526 000 12 46', 'PL').normalized).toBe('PL5260001246');
    expect(checkTaxNumber('CHE-116.281.710 MWST', 'CH').normalized).toBe('CHE116281710MWST');
  });

  it('takes any text for countries without a published rule', () => {
    expect(checkTaxNumber('ABN 51 824 753 556', 'AU')).toEqual({ valid: true, normalized: 'ABN 51 824 753 556' });
    expect(checkTaxNumber('whatever', null).valid).toBe(true);
  });

  it('gives the number without its country prefix for matching', () => {
    expect(taxNumberBody('PL 526-000-12-46', 'PL')).toBe('5260001246');
    expect(taxNumberBody('EL094259216', 'GR')).toBe('094259216');
    expect(taxNumberBody('BE0403019261', null)).toBe('0403019261');
  });

  it('suggests what the tax number is called in the country', () => {
    expect(suggestedTaxName('PL')).toBe('NIP');
    expect(suggestedTaxName('IN')).toBe('GSTIN');
    expect(suggestedTaxName('US')).toBe('EIN');
    expect(suggestedTaxName('FR')).toBe('TVA');
    expect(suggestedTaxName('GB')).toBe('VAT');
    expect(suggestedTaxName('JP')).toBeNull();
  });
});
