import { describe, expect, it } from 'vitest';
import { checkPostalCode } from './postal-codes';

describe('postal codes', () => {
  it.each([
    ['PL', '00-950', '00-950'],
    ['PL', '00950', '00-950'],
    ['PL', ' 31 - 042 ', '31-042'],
    ['DE', '10115', '10115'],
    ['GB', 'sw1a1aa', 'SW1A 1AA'],
    ['GB', 'M1 1AE', 'M1 1AE'],
    ['GB', 'B33 8TH', 'B33 8TH'],
    ['GB', 'CR2 6XH', 'CR2 6XH'],
    ['GB', 'DN55 1PT', 'DN55 1PT'],
    ['GB', 'W1A 0AX', 'W1A 0AX'],
    ['GB', 'EC1A 1BB', 'EC1A 1BB'],
    ['GB', 'GIR 0AA', 'GIR 0AA'],
    ['GB', 'gir0aa', 'GIR 0AA'],
    ['US', '94105', '94105'],
    ['US', '94105-1234', '94105-1234'],
    ['US', '941051234', '94105-1234'],
    ['IN', '110001', '110001'],
    ['IN', '560 001', '560001'],
    ['NL', '1012ab', '1012 AB'],
    ['BE', '1000', '1000'],
    ['NO', '0150', '0150'],
    ['FR', '75001', '75001'],
    ['AT', '1010', '1010'],
    ['CH', '8001', '8001'],
    ['SE', '11122', '111 22'],
    ['DK', '1050', '1050'],
    ['CZ', '110 00', '110 00'],
    ['SK', '81101', '811 01'],
    ['ES', '28001', '28001'],
    ['PT', '1000001', '1000-001'],
    ['LT', '01103', 'LT-01103'],
    ['LT', 'lt-01103', 'LT-01103'],
    ['LV', 'LV 1010', 'LV-1010'],
    ['LU', 'L-1009', 'L-1009'],
    ['GR', '10557', '105 57'],
    ['IE', 'd02x285', 'D02 X285'],
    ['IE', 'D6W 1234', 'D6W 1234'],
    ['CA', 'k1a0b1', 'K1A 0B1'],
    ['JP', '1000001', '100-0001'],
    ['BR', '01310100', '01310-100'],
  ])('accepts %s %s as %s', (country, input, normalized) => {
    expect(checkPostalCode(input, country)).toMatchObject({ valid: true, normalized });
  });

  it.each([
    ['PL', '0-950'],
    ['PL', '00-95O'],
    ['PL', '009500'],
    ['DE', '1011'],
    ['DE', '101155'],
    ['DE', '00950'],
    ['GB', 'QQ1 1AA'],
    ['GB', 'SW1A 1A'],
    ['GB', 'SW1A 1CA'],
    ['GB', '12345'],
    ['US', '9410'],
    ['US', '94105-12'],
    ['IN', '011001'],
    ['IN', '11001'],
    ['NL', '0123 AB'],
    ['NL', '1012 A'],
    ['BE', '0999'],
    ['CZ', '810 00'],
    ['SK', '110 00'],
    ['ES', '53001'],
    ['IE', 'B02 X285'],
    ['CA', 'D1A 0B1'],
  ])('refuses %s %s', (country, input) => {
    expect(checkPostalCode(input, country).valid).toBe(false);
  });

  it('gives an example of the expected shape', () => {
    expect(checkPostalCode('x', 'PL').example).toBe('00-950');
    expect(checkPostalCode('x', 'GB').example).toBe('SW1A 1AA');
  });

  it('takes any text for countries without a known format', () => {
    expect(checkPostalCode(' 1234-AB ', 'KE')).toEqual({ valid: true, normalized: '1234-AB' });
    expect(checkPostalCode('anything', null).valid).toBe(true);
  });
});
