import { z } from 'zod';
import {
  belgianEnterpriseNumber,
  checkNationalTaxNumber,
  checkTaxNumber,
  danishCvr,
  finnishBusinessId,
  latvianLegalEntity,
  luhnValid,
  mod97_10,
  norwegianOrgNumber,
  swedishOrgNumber,
  swissUid,
  type TaxNumberProblem,
  taxNumberBody,
} from './tax-numbers';

/** GS1 check digit (GLN, GTIN): weights 3 and 1 alternating from the right of the body. */
function gs1Valid(number: string): boolean {
  const body = [...number.slice(0, -1)].reverse();
  const sum = body.reduce((total, digit, index) => total + Number(digit) * (index % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === Number(number[number.length - 1]);
}

/** Australian Business Number: subtract 1 from the first digit, then a weighted sum divisible by 89. */
function abnValid(number: string): boolean {
  const weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
  const sum = [...number].reduce(
    (total, digit, index) => total + (weights[index] as number) * (Number(digit) - (index === 0 ? 1 : 0)),
    0,
  );
  return sum % 89 === 0;
}

/** France's SIRET: SIREN and establishment number under one Luhn digit (La Poste's establishments: digit sum / 5). */
function siretValid(number: string): boolean {
  if (!luhnValid(number.slice(0, 9))) return false;
  if (number.startsWith('356000000') && number !== '35600000000048') {
    return [...number].reduce((sum, digit) => sum + Number(digit), 0) % 5 === 0;
  }
  return luhnValid(number);
}

/** Japan's corporate number: a leading check digit over the twelve after it. */
function japaneseCorporateNumber(number: string): boolean {
  const digits = [...number.slice(1)].reverse();
  const sum = digits.reduce((total, digit, index) => total + Number(digit) * (index % 2 === 0 ? 1 : 2), 0);
  return 9 - (sum % 9) === Number(number[0]);
}

/** Iceland's kennitala: a date (day + 40 for organisations), a check digit, and the century. */
function kennitalaValid(number: string): boolean {
  const day = Number(number.slice(0, 2)) % 40;
  const month = Number(number.slice(2, 4));
  const year = (number[9] === '9' ? 1900 : 2000) + Number(number.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  const weights = [3, 2, 7, 6, 5, 4, 3, 2, 1];
  return weights.reduce((sum, weight, index) => sum + weight * Number(number[index]), 0) % 11 === 0;
}

const compact = (input: string) => input.toUpperCase().replace(/[\s.\-/]/g, '');

interface AddressRule {
  /** The address's shape: its length and which characters go where. */
  format: RegExp;
  /** Its check digit, where the scheme has one. */
  check?: (address: string) => boolean;
  /** What a valid address looks like, quoted in the error. */
  example: string;
}

/** Peppol's VAT-number schemes: the country's VAT number, with or without its prefix. */
const VAT_SCHEMES: Record<string, string> = {
  '9910': 'HU',
  '9914': 'AT',
  '9920': 'ES',
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

/** Schemes whose format is published, other than the VAT schemes above. */
const RULES: Record<string, AddressRule> = {
  // SIREN, SIRET (France)
  '0002': { format: /^\d{9}$/, check: luhnValid, example: '404833048' },
  '0009': { format: /^\d{14}$/, check: siretValid, example: '73282932000074' },
  // Swedish organisation number
  '0007': { format: /^\d{10}$/, check: swedishOrgNumber, example: '5561888404' },
  // D-U-N-S: nine digits without a check digit
  '0060': { format: /^\d{9}$/, example: '150483782' },
  // GLN
  '0088': { format: /^\d{13}$/, check: gs1Valid, example: '5790000435951' },
  // Danish P-number: ten digits
  '0096': { format: /^\d{10}$/, example: '1003388394' },
  // Dutch Chamber of Commerce (KvK) number: eight digits
  '0106': { format: /^\d{8}$/, example: '17087985' },
  '0151': { format: /^(1[1-9]|[2-9]\d)\d{9}$/, check: abnValid, example: '51824753556' },
  '0183': { format: /^CHE\d{9}$/, check: swissUid, example: 'CHE116281710' },
  '0184': {
    format: /^(DK)?[1-9]\d{7}$/,
    check: (address) => danishCvr(address.replace(/^DK/, '')),
    example: '13585628',
  },
  '0188': { format: /^\d{13}$/, check: japaneseCorporateNumber, example: '5835678256246' },
  // Dutch government OIN: twenty digits
  '0190': { format: /^\d{20}$/, example: '00000001003214345000' },
  '0192': { format: /^\d{9}$/, check: norwegianOrgNumber, example: '974760673' },
  '0196': { format: /^[0-7]\d[01]\d{7}$/, check: kennitalaValid, example: '4504013150' },
  // Legal Entity Identifier (ISO 17442): mod 97-10
  '0199': {
    format: /^[0-9A-Z]{18}\d{2}$/,
    check: (address) => mod97_10(address) === 1,
    example: '213800KUD8LAJWSQ9D15',
  },
  '0208': { format: /^[01]\d{9}$/, check: belgianEnterpriseNumber, example: '0403019261' },
  // Finnish OVT code: 0037, the business ID (Y-tunnus) and up to five characters of its own
  '0216': {
    format: /^0037\d{8}[0-9A-Z]{0,5}$/,
    check: (address) => finnishBusinessId(address.slice(4, 12)),
    example: '003720774740',
  },
  '0218': { format: /^[4-9]\d{10}$/, check: latvianLegalEntity, example: '40003521600' },
  // Japan's qualified invoice issuer: T and thirteen digits
  '0221': { format: /^T\d{13}$/, example: 'T5835678256246' },
  // SWIFT BIC: bank, country (letters), location, optional branch
  '9918': { format: /^[A-Z]{4}[A-Z]{2}[0-9A-Z]{2}([0-9A-Z]{3})?$/, example: 'AGRIFRPP882' },
};

export interface ElectronicAddressCheck {
  valid: boolean;
  normalized: string;
  problem?: TaxNumberProblem;
  /** What a valid address in the scheme looks like, for the error message. */
  example?: string;
}

/** Checks an electronic address against its EAS scheme where the scheme's format is known; other schemes take any text. */
export function checkElectronicAddress(address: string, scheme: string): ElectronicAddressCheck {
  if (scheme === 'EM') {
    const normalized = address.trim().toLowerCase();
    const valid = z.email().safeParse(normalized).success;
    return { valid, normalized, problem: valid ? undefined : 'format', example: 'invoices@example.com' };
  }
  const vatCountry = VAT_SCHEMES[scheme];
  if (vatCountry) {
    const check = checkNationalTaxNumber(address, vatCountry);
    return { valid: check.valid, normalized: check.normalized, problem: check.problem, example: check.example };
  }
  const rule = RULES[scheme];
  if (!rule) return { valid: true, normalized: address.trim() };
  const normalized = compact(address);
  const problem = !rule.format.test(normalized)
    ? 'format'
    : rule.check && !rule.check(normalized)
      ? 'checksum'
      : undefined;
  return { valid: !problem, normalized, problem, example: rule.example };
}

const vatPrefix = (country: string) => (country === 'GR' ? 'EL' : country);

/** Where the tax number itself gives the Peppol address: the country's scheme and how to write the number in it. */
const SUGGESTIONS: Record<string, { scheme: string; address: (body: string) => string }> = {
  BE: { scheme: '0208', address: (body) => body },
  NO: { scheme: '0192', address: (body) => body },
  DK: { scheme: '0184', address: (body) => body },
  SE: { scheme: '0007', address: (body) => body.slice(0, 10) },
  FI: { scheme: '0216', address: (body) => `0037${body}` },
  ...Object.fromEntries(
    Object.entries(VAT_SCHEMES)
      .filter(([, country]) => !['BE', 'DK', 'SE', 'NO', 'US', 'CH'].includes(country))
      .map(([scheme, country]) => [country, { scheme, address: (body: string) => `${vatPrefix(country)}${body}` }]),
  ),
};

export interface AddressSuggestion {
  scheme: string;
  address: string;
}

/**
 * The e-invoicing scheme and address a client with this country and (valid) tax number most likely has:
 * a Belgian VAT number BE0123456789 gives 0208 + 0123456789, a German one 9930 + DE123456789, a Polish NIP
 * 9945 + PL…. Countries whose tax number is no Peppol address (India, the US, unknown ones) give none.
 */
export function suggestElectronicAddress(country: string | null, taxNumber: string | null): AddressSuggestion | null {
  if (!country || !taxNumber) return null;
  const check = checkTaxNumber(taxNumber, country);
  const suggestion = check.country ? SUGGESTIONS[check.country] : undefined;
  if (!check.valid || !check.country || !suggestion) return null;
  const address = suggestion.address(taxNumberBody(taxNumber, country));
  return checkElectronicAddress(address, suggestion.scheme).valid ? { scheme: suggestion.scheme, address } : null;
}
