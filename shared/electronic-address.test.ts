import { describe, expect, it } from 'vitest';
import { checkElectronicAddress, suggestElectronicAddress } from './electronic-address';

// Real identifiers (registries' own numbers, python-stdnum's examples, published VAT numbers) and the same with
// one digit changed.
describe('electronic addresses by scheme', () => {
  it.each([
    ['0088', '5790000435951', '5790000435952'],
    ['0088', '9780471117094', '9780471117095'],
    ['0192', '974 760 673', '974760674'],
    ['0192', '988 077 917', '988077918'],
    ['0208', '0403.019.261', '0403019262'],
    ['0208', '0428759497', '0428759479'],
    ['0007', '556188-8404', '5561888405'],
    ['0007', '5560581158', '5560581159'],
    ['0184', '13585628', '13585629'],
    ['0184', 'DK21599336', 'DK21599337'],
    ['0151', '51 824 753 556', '51824753557'],
    ['0151', '83 914 571 673', '99999999999'],
    ['9930', 'DE136695976', 'DE136695977'],
    ['9930', 'DE 113 866 163', 'DE113866164'],
    ['9925', 'BE0403019261', 'BE0403019262'],
    ['9944', 'NL004495445B01', 'NL004495446B01'],
    ['9945', 'PL5260001246', 'PL5260001247'],
    ['9920', 'ESB64717838', 'ESB64717839'],
    ['0002', '404 833 048', '404833047'],
    ['0009', '732 829 320 00074', '73282932000079'],
    ['0188', '5-8356-7825-6246', '2835678256246'],
    ['0196', '450401-3150', '530575-0299'],
    ['0199', '213800KUD8LAJWSQ9D15', '213800KUD8LXJWSQ9D15'],
    ['0216', '003720774740', '003720774741'],
  ])('scheme %s accepts %s and refuses %s for its check digit', (scheme, valid, invalid) => {
    expect(checkElectronicAddress(valid, scheme).valid).toBe(true);
    expect(checkElectronicAddress(invalid, scheme)).toMatchObject({ valid: false, problem: 'checksum' });
  });

  it.each([
    ['0106', '17087985', '1708798'],
    ['0106', '17087985', '1708798A'],
    ['0208', '0403019261', '403019261'],
    ['0192', '974760673', '97476067'],
    ['0088', '5790000435951', '579000043595'],
    ['0060', '150483782', '15048378'],
    ['9918', 'AGRIFRPP882', 'AGRIF2PP'],
    ['9930', 'DE136695976', 'PL5260001246'],
    ['EM', 'Invoices@Example.com', 'invoices@'],
  ])('scheme %s accepts %s and refuses %s for its shape', (scheme, valid, invalid) => {
    expect(checkElectronicAddress(valid, scheme).valid).toBe(true);
    expect(checkElectronicAddress(invalid, scheme)).toMatchObject({ valid: false, problem: 'format' });
  });

  it('normalizes the address the way the scheme writes it', () => {
    expect(checkElectronicAddress('0403.019.261', '0208').normalized).toBe('0403019261');
    expect(checkElectronicAddress('de 136 695 976', '9930').normalized).toBe('DE136695976');
    expect(checkElectronicAddress(' Invoices@Example.com ', 'EM').normalized).toBe('invoices@example.com');
  });

  it('gives an example for schemes with a known format, and takes any text otherwise', () => {
    expect(checkElectronicAddress('x', '0208').example).toBe('0403019261');
    expect(checkElectronicAddress('x', '9945').example).toBe('526-000-12-46');
    expect(checkElectronicAddress(' any text ', '0097')).toEqual({ valid: true, normalized: 'any text' });
  });
});

describe('suggested scheme and address', () => {
  it.each([
    ['BE', 'BE0123456749', { scheme: '0208', address: '0123456749' }],
    ['BE', '0403.019.261', { scheme: '0208', address: '0403019261' }],
    ['NO', '974 760 673 MVA', { scheme: '0192', address: '974760673' }],
    ['DK', 'DK13585628', { scheme: '0184', address: '13585628' }],
    ['SE', 'SE556188840401', { scheme: '0007', address: '5561888404' }],
    ['FI', 'FI 2077474-0', { scheme: '0216', address: '003720774740' }],
    ['DE', 'DE136695976', { scheme: '9930', address: 'DE136695976' }],
    ['DE', '136695976', { scheme: '9930', address: 'DE136695976' }],
    ['NL', 'NL4495445B01', { scheme: '9944', address: 'NL004495445B01' }],
    ['PL', '526-000-12-46', { scheme: '9945', address: 'PL5260001246' }],
    ['GR', '094259216', { scheme: '9933', address: 'EL094259216' }],
    ['IT', '00743110157', { scheme: '0211', address: 'IT00743110157' }],
    ['ES', 'B64717838', { scheme: '9920', address: 'ESB64717838' }],
    // A Polish client with a German VAT number: the number's own country decides.
    ['PL', 'DE136695976', { scheme: '9930', address: 'DE136695976' }],
  ])('%s with %s suggests %o', (country, taxNumber, expected) => {
    expect(suggestElectronicAddress(country, taxNumber)).toEqual(expected);
  });

  it('suggests nothing for an invalid tax number or a country whose number is no Peppol address', () => {
    expect(suggestElectronicAddress('BE', 'BE0403019262')).toBeNull();
    expect(suggestElectronicAddress('IN', '27AAPFU0939F1ZV')).toBeNull();
    expect(suggestElectronicAddress('US', '91-1144442')).toBeNull();
    expect(suggestElectronicAddress('JP', '5835678256246')).toBeNull();
    expect(suggestElectronicAddress(null, 'BE0403019261')).toBeNull();
    expect(suggestElectronicAddress('BE', null)).toBeNull();
  });
});
