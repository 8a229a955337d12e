import { describe, expect, it } from 'vitest';
import { checkElectronicAddress, suggestElectronicAddress } from './electronic-address';

describe('electronic addresses by scheme', () => {
  it.each([
    ['0088', '5790000435951', '5790000435952'],
    ['0088', '4000001000005', '4000001000006'],
    ['0192', '974 760 673', '974760674'],
    ['0208', '0403.019.261', '0403019262'],
    ['0007', '556188-8404', '5561888405'],
    ['0184', '13585628', '13585629'],
    ['0184', 'DK13585628', 'DK13585627'],
    ['0106', '17087985', '1708798'],
    ['0151', '51 824 753 556', '51824753557'],
    ['9930', 'DE136695976', 'DE136695977'],
    ['9925', 'BE0403019261', 'BE0403019262'],
    ['9944', 'NL004495445B01', 'NL004495446B01'],
    ['9945', 'PL5260001246', 'PL5260001247'],
    ['EM', 'Invoices@Example.com', 'invoices@'],
  ])('scheme %s accepts %s and refuses %s', (scheme, valid, invalid) => {
    expect(checkElectronicAddress(valid, scheme).valid).toBe(true);
    expect(checkElectronicAddress(invalid, scheme).valid).toBe(false);
  });

  it('normalizes the address the way the scheme writes it', () => {
    expect(checkElectronicAddress('0403.019.261', '0208').normalized).toBe('0403019261');
    expect(checkElectronicAddress(' Invoices@Example.com ', 'EM').normalized).toBe('invoices@example.com');
  });

  it('gives an example for schemes with a known format, and takes any text otherwise', () => {
    expect(checkElectronicAddress('x', '0208').example).toBe('0403019261');
    expect(checkElectronicAddress('any text', '0060')).toEqual({ valid: true, normalized: 'any text' });
  });
});

describe('suggested scheme and address', () => {
  it.each([
    ['BE', 'BE0403019261', { scheme: '0208', address: '0403019261' }],
    ['BE', '0403.019.261', { scheme: '0208', address: '0403019261' }],
    ['NO', '974 760 673 MVA', { scheme: '0192', address: '974760673' }],
    ['DK', 'DK13585628', { scheme: '0184', address: '13585628' }],
    ['SE', 'SE556188840401', { scheme: '0007', address: '5561888404' }],
    ['DE', 'DE136695976', { scheme: '9930', address: 'DE136695976' }],
    ['DE', '136695976', { scheme: '9930', address: 'DE136695976' }],
    ['NL', 'NL004495445B01', { scheme: '9944', address: 'NL004495445B01' }],
    ['PL', '526-000-12-46', { scheme: '9945', address: 'PL5260001246' }],
  ])('%s with %s suggests %o', (country, taxNumber, expected) => {
    expect(suggestElectronicAddress(country, taxNumber)).toEqual(expected);
  });

  it('suggests nothing for an invalid tax number or a country without a Peppol scheme', () => {
    expect(suggestElectronicAddress('BE', 'BE0403019262')).toBeNull();
    expect(suggestElectronicAddress('IN', '27AAPFU0939F1ZV')).toBeNull();
    expect(suggestElectronicAddress('US', '12-3456789')).toBeNull();
    expect(suggestElectronicAddress(null, 'BE0403019261')).toBeNull();
  });
});
