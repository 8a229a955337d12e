import { z } from 'zod';
import {
  belgianEnterpriseNumber,
  checkTaxNumber,
  danishCvr,
  norwegianOrgNumber,
  swedishOrgNumber,
  taxNumberBody,
} from './tax-numbers';

/** GS1 check digit (GLN, GTIN): weights 3 and 1 alternating from the right of the body. */
function gs1Valid(number: string): boolean {
  if (!/^\d{13}$/.test(number)) return false;
  const body = [...number.slice(0, 12)].reverse();
  const sum = body.reduce((total, digit, index) => total + Number(digit) * (index % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === Number(number[12]);
}

/** Australian Business Number: subtract 1 from the first digit, weighted sum divisible by 89. */
function abnValid(number: string): boolean {
  if (!/^\d{11}$/.test(number)) return false;
  const weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
  const sum = [...number].reduce(
    (total, digit, index) => total + (weights[index] as number) * (Number(digit) - (index === 0 ? 1 : 0)),
    0,
  );
  return sum % 89 === 0;
}

const compact = (input: string) => input.toUpperCase().replace(/[\s.\-/]/g, '');
const withoutPrefix = (prefix: string) => (text: string) =>
  text.startsWith(prefix) ? text.slice(prefix.length) : text;

interface AddressRule {
  valid: (address: string) => boolean;
  /** What a valid address looks like, quoted in the error. */
  example: string;
}

/** Peppol's VAT-number schemes: the country's VAT number, with or without its prefix. */
const VAT_SCHEMES: Record<string, string> = {
  '9910': 'HU',
  '9914': 'AT',
  '9925': 'BE',
  '9926': 'BG',
  '9927': 'CH',
  '9928': 'CY',
  '9929': 'CZ',
  '9930': 'DE',
  '9931': 'EE',
  '9932': 'GB',
  '9933': 'GR',
  '9934': 'HR',
  '9935': 'IE',
  '9937': 'LT',
  '9938': 'LU',
  '9939': 'LV',
  '9943': 'MT',
  '9944': 'NL',
  '9945': 'PL',
  '9946': 'PT',
  '9947': 'RO',
  '9949': 'SI',
  '9950': 'SK',
  '9957': 'FR',
  '9959': 'US',
  '0211': 'IT',
};

const VAT_EXAMPLES: Record<string, string> = {
  BE: 'BE0403019261',
  DE: 'DE136695976',
  NL: 'NL004495445B01',
  PL: 'PL5260001246',
  FR: 'FR40303265045',
  IT: 'IT00743110157',
  US: '12-3456789',
};

const RULES: Record<string, AddressRule> = {
  '0088': { valid: gs1Valid, example: '5790000435951' },
  '0192': { valid: norwegianOrgNumber, example: '974760673' },
  '0208': { valid: belgianEnterpriseNumber, example: '0403019261' },
  '0007': { valid: swedishOrgNumber, example: '5561888404' },
  '0184': { valid: (address) => danishCvr(withoutPrefix('DK')(address)), example: '13585628' },
  '0106': { valid: (address) => /^\d{8}$/.test(address), example: '17087985' },
  '0151': { valid: abnValid, example: '51824753556' },
  ...Object.fromEntries(
    Object.entries(VAT_SCHEMES).map(([scheme, country]) => [
      scheme,
      {
        valid: (address: string) => checkTaxNumber(address, country).valid,
        example: VAT_EXAMPLES[country] ?? `${country === 'GR' ? 'EL' : country}…`,
      },
    ]),
  ),
};

export interface ElectronicAddressCheck {
  valid: boolean;
  normalized: string;
  example?: string;
}

/** Checks an electronic address against its EAS scheme where the scheme's format is known. */
export function checkElectronicAddress(address: string, scheme: string): ElectronicAddressCheck {
  if (scheme === 'EM') {
    const normalized = address.trim().toLowerCase();
    return { valid: z.email().safeParse(normalized).success, normalized, example: 'invoices@example.com' };
  }
  const rule = RULES[scheme];
  if (!rule) return { valid: true, normalized: address.trim() };
  const normalized = compact(address);
  return { valid: rule.valid(normalized), normalized, example: rule.example };
}

/** Where the tax number itself is the Peppol address: the country's scheme and how to write the number in it. */
const SUGGESTIONS: Record<string, { scheme: string; address: (body: string, country: string) => string }> = {
  BE: { scheme: '0208', address: (body) => body },
  NO: { scheme: '0192', address: (body) => body },
  DK: { scheme: '0184', address: (body) => body },
  SE: { scheme: '0007', address: (body) => body.slice(0, 10) },
  ...Object.fromEntries(
    Object.entries(VAT_SCHEMES)
      .filter(([, country]) => !['BE', 'DK', 'SE', 'NO', 'US', 'CH'].includes(country))
      .map(([scheme, country]) => [
        country,
        { scheme, address: (body: string) => `${country === 'GR' ? 'EL' : country}${body}` },
      ]),
  ),
};

export interface AddressSuggestion {
  scheme: string;
  address: string;
}

/**
 * The e-invoicing scheme and address a client with this country and (valid) tax number most likely has:
 * a Belgian VAT number BE0123456789 gives 0208 + 0123456789, a German one 9930 + DE123456789.
 */
export function suggestElectronicAddress(country: string | null, taxNumber: string | null): AddressSuggestion | null {
  if (!country || !taxNumber) return null;
  const suggestion = SUGGESTIONS[country];
  if (!suggestion || !checkTaxNumber(taxNumber, country).valid) return null;
  const address = suggestion.address(taxNumberBody(taxNumber, country), country);
  return checkElectronicAddress(address, suggestion.scheme).valid ? { scheme: suggestion.scheme, address } : null;
}
