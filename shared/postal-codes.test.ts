import { describe, expect, it } from 'vitest';
import { checkPostalCode } from './postal-codes';

describe('postal codes', () => {
  it.each([
    ['PL', '00-950', '00-950'],
    ['PL', '00950', '00-950'],
    ['DE', '10115', '10115'],
    ['GB', 'sw1a1aa', 'SW1A 1AA'],
    ['GB', 'M1 1AE', 'M1 1AE'],
    ['GB', 'B33 8TH', 'B33 8TH'],
    ['GB', 'CR2 6XH', 'CR2 6XH'],
    ['GB', 'DN55 1PT', 'DN55 1PT'],
    ['GB', 'W1A 0AX', 'W1A 0AX'],
    ['GB', 'EC1A 1BB', 'EC1A 1BB'],
    ['GB', 'GIR 0AA', 'GIR 0AA'],
    ['US', '94105', '94105'],
    ['US', '94105-1234', '94105-1234'],
    ['US', '941051234', '94105-1234'],
    ['IN', '110001', '110001'],
    ['NL', '1012ab', '1012 AB'],
    ['SE', '11122', '111 22'],
    ['CZ', '110 00', '110 00'],
  ])('accepts %s %s as %s', (country, input, normalized) => {
    expect(checkPostalCode(input, country)).toMatchObject({ valid: true, normalized });
  });

  it.each([
    ['PL', '0-950'],
    ['PL', '00-95O'],
    ['DE', '1011'],
    ['GB', 'QQ1 1AA'],
    ['GB', 'SW1A 1A'],
    ['GB', 'SW1A 1CA'],
    ['US', '9410'],
    ['US', '94105-12'],
    ['IN', '011001'],
    ['IN', '11001'],
    ['NL', '0123 AB'],
  ])('refuses %s %s', (country, input) => {
    expect(checkPostalCode(input, country).valid).toBe(false);
  });

  it('gives an example of the expected shape', () => {
    expect(checkPostalCode('x', 'PL').example).toBe('00-950');
  });

  it('takes any text for countries without a known format', () => {
    expect(checkPostalCode(' 1234-AB ', 'JP')).toEqual({ valid: true, normalized: '1234-AB' });
    expect(checkPostalCode('anything', null).valid).toBe(true);
  });
});
