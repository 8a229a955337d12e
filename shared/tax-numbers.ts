/**
 * Tax identification numbers: the shape and the check digit of each country's number where they are published
 * (every EU VAT number, the UK, Norway, Switzerland, India's GSTIN and the US EIN). The algorithms follow the
 * national specifications as collected by python-stdnum, and were cross-checked against it. Countries not
 * listed take free text.
 */

const isDigits = (text: string, length?: number) =>
  /^\d+$/.test(text) && (length === undefined || text.length === length);
const weighted = (digits: string, weights: readonly number[]) =>
  weights.reduce((sum, weight, index) => sum + weight * Number(digits[index]), 0);
const lastDigit = (text: string) => Number(text[text.length - 1]);

/** The Luhn checksum of a digit string (0 when the string, including its check digit, is valid). */
export function luhnChecksum(number: string): number {
  let sum = 0;
  [...number].reverse().forEach((char, index) => {
    const digit = Number(char);
    if (index % 2 === 0) sum += digit;
    else sum += digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
  });
  return sum % 10;
}
export const luhnValid = (number: string) => isDigits(number) && luhnChecksum(number) === 0;
const luhnCheckDigit = (number: string) => (10 - luhnChecksum(`${number}0`)) % 10;

/** ISO 7064 Mod 11,10, used by Germany and Croatia. */
function iso7064Mod11_10Valid(number: string): boolean {
  let check = 5;
  for (const digit of number) check = ((((check || 10) * 2) % 11) + Number(digit)) % 10;
  return check === 1;
}

/** ISO 7064 Mod 97-10 over digits and letters (A = 10 ... Z = 35); a valid number leaves 1 (IBAN-style). */
export function mod97_10(text: string): number {
  let remainder = 0;
  for (const char of text) {
    for (const digit of String(Number.parseInt(char, 36))) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

/** An eleven-based check digit: 11 - sum mod 11, where 11 gives 0 and 10 means "no valid number". */
function mod11Check(digits: string, weights: readonly number[]): number | null {
  const check = 11 - (weighted(digits, weights) % 11);
  if (check === 11) return 0;
  return check === 10 ? null : check;
}

/** Whether a birth date embedded in a personal number exists in the calendar. */
function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

// National numbers that e-invoicing schemes use too (shared/electronic-address.ts).

/** Belgium's enterprise number: 0 or 1, then eight digits and 97 - (those eight mod 97). */
export const belgianEnterpriseNumber = (number: string): boolean =>
  isDigits(number, 10) && /^[01]/.test(number) && 97 - (Number(number.slice(0, 8)) % 97) === Number(number.slice(8));

export const norwegianOrgNumber = (number: string): boolean =>
  isDigits(number, 9) && mod11Check(number, [3, 2, 7, 6, 5, 4, 3, 2]) === lastDigit(number);

export const danishCvr = (number: string): boolean =>
  isDigits(number, 8) && number[0] !== '0' && weighted(number, [2, 7, 6, 5, 4, 3, 2, 1]) % 11 === 0;

/** A Swedish organisation number: ten digits with a Luhn check digit. */
export const swedishOrgNumber = (number: string): boolean => isDigits(number, 10) && luhnValid(number);

/** Finland's business ID (Y-tunnus), the body of its VAT number. */
export const finnishBusinessId = (number: string): boolean =>
  isDigits(number, 8) && mod11Check(number, [7, 9, 10, 5, 8, 4, 2]) === lastDigit(number);

/** Switzerland's enterprise number (UID): CHE and nine digits, the last a mod 11 check digit. */
export function swissUid(number: string): boolean {
  const match = /^CHE(\d{9})$/.exec(number);
  return match !== null && mod11Check(match[1] as string, [5, 4, 3, 2, 7, 6, 5, 4]) === lastDigit(number);
}

/** A Latvian legal entity's registration number (also its VAT number): a weighted sum that leaves 3. */
export const latvianLegalEntity = (number: string): boolean =>
  isDigits(number, 11) && Number(number[0]) > 3 && weighted(number, [9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1]) % 11 === 3;

// The countries' own checks, on the number without its prefix.

const germanVat = (number: string) => iso7064Mod11_10Valid(number);

function dutchVat(number: string): boolean {
  const digits = number.slice(0, 9);
  // The old numbers carry the owner's RSIN/BSN (eleven-test); those issued since 2020 a mod 97 check.
  const elevenTest = (weighted(digits, [9, 8, 7, 6, 5, 4, 3, 2]) - Number(digits[8])) % 11 === 0;
  return elevenTest || mod97_10(`NL${number}`) === 1;
}

function spanishNif(number: string): boolean {
  const letters = 'TRWAGMYFPDXBNJZSQVHLCKE';
  const first = number[0] as string;
  const last = number[8] as string;
  // DNI (eight digits), NIE (X, Y, Z standing for 0, 1, 2) and K, L, M (people without a DNI): a letter mod 23.
  const nieDigit = { X: '0', Y: '1', Z: '2' }[first];
  if (isDigits(first) || nieDigit) return letters[Number(`${nieDigit ?? first}${number.slice(1, 8)}`) % 23] === last;
  if ('KLM'.includes(first)) return letters[Number(number.slice(1, 8)) % 23] === last;
  // CIF: an organisation letter, seven digits and a Luhn-based digit or letter.
  const check = luhnCheckDigit(number.slice(1, 8));
  return last === String(check) || last === 'JABCDEFGHI'[check];
}

const FRENCH_KEY_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function frenchVat(number: string): boolean {
  const key = number.slice(0, 2);
  const siren = number.slice(2);
  // Monaco's numbers (000 after the key) are French VAT numbers without a SIREN.
  if (!siren.startsWith('000') && !luhnValid(siren)) return false;
  if (isDigits(key)) return Number(key) === (12 + 3 * (Number(siren) % 97)) % 97;
  // Newer keys hold a letter.
  const first = FRENCH_KEY_ALPHABET.indexOf(key[0] as string);
  const second = FRENCH_KEY_ALPHABET.indexOf(key[1] as string);
  const check = isDigits(key[0] as string) ? first * 24 + second - 10 : first * 34 + second - 100;
  return (Number(siren) + 1 + Math.floor(check / 11)) % 11 === check % 11;
}

function irishVat(number: string): boolean {
  const alphabet = 'WABCDEFGHIJKLMNOPQRSTUV';
  const extra = number[8];
  const sum = weighted(number, [8, 7, 6, 5, 4, 3, 2]) + (extra ? 9 * alphabet.indexOf(extra) : 0);
  return alphabet[sum % 23] === number[7];
}

function italianVat(number: string): boolean {
  const office = Number(number.slice(7, 10));
  const officeOk = (office >= 1 && office <= 100) || [120, 121, 888, 999].includes(office);
  return !/^0{7}/.test(number) && officeOk && luhnValid(number);
}

function lithuanianVat(number: string): boolean {
  const body = number.slice(0, -1);
  let check = [...body].reduce((sum, digit, index) => sum + (1 + (index % 9)) * Number(digit), 0) % 11;
  if (check === 10) {
    check = [...body].reduce((sum, digit, index) => sum + (1 + ((index + 2) % 9)) * Number(digit), 0) % 11;
  }
  return check % 10 === lastDigit(number);
}

function latvianVat(number: string): boolean {
  if (Number(number[0]) > 3) return latvianLegalEntity(number);
  // Personal codes issued since 2017 start with 32 and carry neither a birth date nor a check digit.
  if (number.startsWith('32')) return true;
  // Older personal codes: birth date DDMMYY, a century digit, and a check digit.
  const year = 1800 + Number(number[6]) * 100 + Number(number.slice(4, 6));
  if (!isRealDate(year, Number(number.slice(2, 4)), Number(number.slice(0, 2)))) return false;
  return ((1 + weighted(number, [10, 5, 8, 4, 2, 1, 6, 3, 7, 9])) % 11) % 10 === lastDigit(number);
}

/** A Bulgarian personal number (EGN): its birth date (month +20 before 1900, +40 from 2000) and check digit. */
function bulgarianEgn(number: string): boolean {
  let year = 1900 + Number(number.slice(0, 2));
  let month = Number(number.slice(2, 4));
  if (month > 40) {
    year += 100;
    month -= 40;
  } else if (month > 20) {
    year -= 100;
    month -= 20;
  }
  if (!isRealDate(year, month, Number(number.slice(4, 6)))) return false;
  return (weighted(number, [2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11) % 10 === lastDigit(number);
}

function bulgarianVat(number: string): boolean {
  const last = lastDigit(number);
  if (number.length === 9) {
    let check = weighted(number, [1, 2, 3, 4, 5, 6, 7, 8]) % 11;
    if (check === 10) check = (weighted(number, [3, 4, 5, 6, 7, 8, 9, 10]) % 11) % 10;
    return check === last;
  }
  const foreigner = weighted(number, [21, 19, 17, 13, 11, 9, 7, 3, 1]) % 10 === last;
  const other = mod11Check(number, [4, 3, 2, 7, 6, 5, 4, 3, 2]) === last;
  return bulgarianEgn(number) || foreigner || other;
}

function cypriotVat(number: string): boolean {
  const translation = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
  let sum = 0;
  for (let index = 0; index < 8; index++) {
    const digit = Number(number[index]);
    sum += index % 2 === 0 ? (translation[digit] as number) : digit;
  }
  return 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[sum % 26] === number[8];
}

/** A Czech (and Slovak) birth number: a real birth date (month +50 for women, +20 since 2004), then mod 11. */
function czechBirthNumber(number: string): boolean {
  let year = 1900 + Number(number.slice(0, 2));
  // Nine digits: issued before 1954, without a check digit.
  if (number.length === 9) {
    if (year >= 1980) year -= 100;
    if (year > 1953) return false;
  } else if (year < 1954) year += 100;
  const month = (Number(number.slice(2, 4)) % 50) % 20;
  if (!isRealDate(year, month, Number(number.slice(4, 6)))) return false;
  if (number.length === 9) return true;
  const check = Number(number.slice(0, 9)) % 11;
  // Before 1985 a remainder of 10 was written as 0.
  return (year < 1985 ? check % 10 : check) === lastDigit(number);
}

function czechVat(number: string): boolean {
  if (number.length === 8) {
    const check = (11 - (weighted(number, [8, 7, 6, 5, 4, 3, 2]) % 11)) % 11;
    return (check || 1) % 10 === lastDigit(number);
  }
  // Nine digits starting with 6: individuals without a birth number, checked over the digits between.
  if (number.length === 9 && number[0] === '6') {
    const sum = weighted(number.slice(1, 8), [8, 7, 6, 5, 4, 3, 2]) % 11;
    return (((8 - ((10 - sum) % 11)) % 10) + 10) % 10 === lastDigit(number);
  }
  return czechBirthNumber(number);
}

const greekVat = (number: string) =>
  (weighted(number, [256, 128, 64, 32, 16, 8, 4, 2]) % 11) % 10 === lastDigit(number);

function romanianVat(number: string): boolean {
  if (number.length === 13) {
    // A personal number (CNP): sex/century digit, birth date YYMMDD, county, serial and check digit.
    const century = { '1': 1900, '2': 1900, '3': 1800, '4': 1800, '5': 2000, '6': 2000 }[number[0] as string] ?? 1900;
    const year = century + Number(number.slice(1, 3));
    if (!isRealDate(year, Number(number.slice(3, 5)), Number(number.slice(5, 7)))) return false;
    const check = weighted(number, [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9]) % 11;
    return (check === 10 ? 1 : check) === lastDigit(number);
  }
  const body = number.slice(0, -1).padStart(9, '0');
  return ((10 * weighted(body, [7, 5, 3, 2, 1, 7, 5, 3, 2])) % 11) % 10 === lastDigit(number);
}

function slovenianVat(number: string): boolean {
  const check = 11 - (weighted(number, [8, 7, 6, 5, 4, 3, 2]) % 11);
  return check !== 11 && check % 10 === lastDigit(number);
}

function britishVat(number: string): boolean {
  // Government departments and health authorities: no check digit (GD/HA + three digits).
  if (number.length === 5) return true;
  // Their EU form: GD8888 or HA8888, three digits and those three mod 97.
  if (number.length === 11) return Number(number.slice(6, 9)) % 97 === Number(number.slice(9));
  // Nine digits (twelve for a branch): a weighted sum mod 97, or, from 100 on, the "9755" variant.
  const remainder = weighted(number, [8, 7, 6, 5, 4, 3, 2, 10, 1]) % 97;
  return Number(number.slice(0, 3)) >= 100 ? [0, 42, 55].includes(remainder) : remainder === 0;
}

const GSTIN_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
// India's GST state codes (38 is Ladakh, 97 other territories, 99 the centre's jurisdiction).
const GSTIN_STATES = new Set([
  ...Array.from({ length: 38 }, (_, index) => String(index + 1).padStart(2, '0')),
  '97',
  '99',
]);

/**
 * India's GSTIN: state code, the holder's PAN (five letters, the fourth the holder type, four digits, a
 * letter), the registration count, Z, and a base-36 check character.
 */
export function indianGstinShape(number: string): boolean {
  return (
    /^\d{2}[A-Z]{3}[ABCFGHJLPTK][A-Z]\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/.test(number) &&
    GSTIN_STATES.has(number.slice(0, 2)) &&
    number.slice(7, 11) !== '0000'
  );
}

function indianGstinCheck(number: string): boolean {
  let sum = 0;
  for (let index = 0; index < 14; index++) {
    const product = GSTIN_ALPHABET.indexOf(number[index] as string) * (index % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / 36) + (product % 36);
  }
  return GSTIN_ALPHABET[(36 - (sum % 36)) % 36] === number[14];
}

// The IRS campus prefixes; any other two-digit start is not an EIN.
const EIN_PREFIXES = new Set(
  ['01-06', '10-16', '20-27', '30-39', '40-48', '50-68', '71-77', '80-88', '90-95', '98-99'].flatMap((range) => {
    const [from, to] = range.split('-').map(Number) as [number, number];
    return Array.from({ length: to - from + 1 }, (_, index) => String(from + index).padStart(2, '0'));
  }),
);

interface TaxRule {
  /** Prefixes written before the number (the country code by default; EL for Greece); stripped before checking. */
  prefixes?: readonly string[];
  /** Words written after the number (Norway's MVA, Switzerland's MWST...); stripped before checking. */
  suffixes?: readonly string[];
  /** Turns the compact body into the form its check expects (e.g. Belgium's old nine-digit numbers). */
  body?: (compact: string) => string;
  /** How the number must be written before its punctuation is dropped, where that matters (an EIN's dash). */
  written?: RegExp;
  /** The body's shape: the length and which characters go where. */
  format: RegExp | ((body: string) => boolean);
  /** The check digit(s) and embedded parts (birth dates, office codes), where they are published. */
  check?: (body: string) => boolean;
  /** What the tax number is called there, suggested in the form. */
  taxName: string;
  /** A well-formed example, quoted in error messages. */
  example: string;
}

const RULES: Record<string, TaxRule> = {
  AT: {
    format: /^U\d{8}$/,
    check: (body) => (6 - luhnChecksum(body.slice(1, 8)) + 10) % 10 === lastDigit(body),
    taxName: 'UID',
    example: 'ATU13585627',
  },
  BE: {
    body: (compact) => (/^\d{9}$/.test(compact) ? `0${compact}` : compact),
    format: /^[01]\d{9}$/,
    check: belgianEnterpriseNumber,
    taxName: 'BTW/TVA',
    example: 'BE0403019261',
  },
  BG: { format: /^\d{9,10}$/, check: bulgarianVat, taxName: 'ДДС', example: 'BG175074752' },
  CY: { format: /^(?!12)[0-59]\d{7}[A-Z]$/, check: cypriotVat, taxName: 'VAT', example: 'CY10259033P' },
  CZ: { format: /^((?!9)\d{8}|\d{9,10})$/, check: czechVat, taxName: 'DIČ', example: 'CZ25123891' },
  DE: { format: /^[1-9]\d{8}$/, check: germanVat, taxName: 'USt-IdNr.', example: 'DE136695976' },
  DK: { format: /^[1-9]\d{7}$/, check: danishCvr, taxName: 'CVR', example: 'DK13585628' },
  EE: {
    format: /^\d{9}$/,
    check: (body) => weighted(body, [3, 7, 1, 3, 7, 1, 3, 7, 1]) % 10 === 0,
    taxName: 'KMKR',
    example: 'EE100931558',
  },
  ES: {
    format: /^([0-9XYZKLM]\d{7}[A-Z]|[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J])$/,
    check: spanishNif,
    taxName: 'NIF',
    example: 'ESA13585625',
  },
  FI: { format: /^\d{8}$/, check: finnishBusinessId, taxName: 'ALV', example: 'FI20774740' },
  FR: { format: /^[0-9A-HJ-NP-Z]{2}\d{9}$/, check: frenchVat, taxName: 'TVA', example: 'FR40303265045' },
  GR: {
    prefixes: ['EL', 'GR'],
    body: (compact) => (/^\d{8}$/.test(compact) ? `0${compact}` : compact),
    format: /^\d{9}$/,
    check: greekVat,
    taxName: 'ΑΦΜ',
    example: 'EL094259216',
  },
  HR: { format: /^\d{11}$/, check: iso7064Mod11_10Valid, taxName: 'OIB', example: 'HR33392005961' },
  HU: {
    format: /^\d{8}$/,
    check: (body) => weighted(body, [9, 7, 3, 1, 9, 7, 3, 1]) % 10 === 0,
    taxName: 'ANUM',
    example: 'HU12892312',
  },
  IE: {
    // The old format (digit, letter or + or *, five digits, letter) is the new one reordered.
    body: (compact) =>
      /^\d[A-Z+*]\d{5}[A-W]$/.test(compact) ? `0${compact.slice(2, 7)}${compact[0]}${compact[7]}` : compact,
    format: /^\d{7}[A-W][A-IW]?$/,
    check: irishVat,
    taxName: 'VAT',
    example: 'IE6433435F',
  },
  IT: { format: /^\d{11}$/, check: italianVat, taxName: 'P.IVA', example: 'IT00743110157' },
  LT: { format: /^(\d{7}|\d{10})1\d$/, check: lithuanianVat, taxName: 'PVM', example: 'LT119511515' },
  LU: {
    format: /^\d{8}$/,
    check: (body) => Number(body.slice(0, 6)) % 89 === Number(body.slice(6)),
    taxName: 'TVA',
    example: 'LU15027442',
  },
  LV: { format: /^\d{11}$/, check: latvianVat, taxName: 'PVN', example: 'LV40003521600' },
  MT: {
    format: /^[1-9]\d{7}$/,
    check: (body) => weighted(body, [3, 4, 6, 7, 8, 9, 10, 1]) % 37 === 0,
    taxName: 'VAT',
    example: 'MT11679112',
  },
  NL: {
    // The RSIN/BSN before the B is often written without its leading zeros.
    body: (compact) => compact.replace(/^(\d{1,8})(?=B\d{2}$)/, (digits) => digits.padStart(9, '0')),
    format: /^(?!0{9})\d{9}B(?!00)\d{2}$/,
    check: dutchVat,
    taxName: 'btw-id',
    example: 'NL004495445B01',
  },
  PL: {
    format: /^\d{10}$/,
    check: (body) => weighted(body, [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 === lastDigit(body),
    taxName: 'NIP',
    example: '526-000-12-46',
  },
  PT: {
    format: /^[1-9]\d{8}$/,
    check: (body) => (mod11Check(body, [9, 8, 7, 6, 5, 4, 3, 2]) ?? 0) === lastDigit(body),
    taxName: 'NIF',
    example: 'PT501964843',
  },
  RO: { format: /^[1-9](\d{1,9}|\d{12})$/, check: romanianVat, taxName: 'CIF', example: 'RO18547290' },
  SE: {
    format: /^\d{10}01$/,
    check: (body) => swedishOrgNumber(body.slice(0, 10)),
    taxName: 'Momsnr.',
    example: 'SE556188840401',
  },
  SI: { format: /^[1-9]\d{7}$/, check: slovenianVat, taxName: 'DDV', example: 'SI50223054' },
  SK: {
    format: /^[1-9]\d[234789]\d{7}$/,
    check: (body) => Number(body) % 11 === 0,
    taxName: 'IČ DPH',
    example: 'SK2022749619',
  },
  GB: {
    // XI: traders in Northern Ireland.
    prefixes: ['GB', 'XI'],
    format: /^(\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2}|GD8888[0-4]\d{4}|HA8888[5-9]\d{4})$/,
    check: britishVat,
    taxName: 'VAT',
    example: 'GB980780684',
  },
  NO: { suffixes: ['MVA'], format: /^\d{9}$/, check: norwegianOrgNumber, taxName: 'MVA', example: '974 760 673 MVA' },
  CH: {
    prefixes: [],
    suffixes: ['MWST', 'TVA', 'IVA', 'TPV'],
    format: /^CHE\d{9}$/,
    check: swissUid,
    taxName: 'UID',
    example: 'CHE-116.281.710 MWST',
  },
  IN: { prefixes: [], format: indianGstinShape, check: indianGstinCheck, taxName: 'GSTIN', example: '27AAPFU0939F1ZV' },
  US: {
    prefixes: [],
    written: /^\d{2}-?\d{7}$/,
    format: (body) => isDigits(body, 9) && EIN_PREFIXES.has(body.slice(0, 2)),
    taxName: 'EIN',
    example: '12-3456789',
  },
};

/** What is wrong with a tax number: its shape (length, characters), or its check digit. */
export type TaxNumberProblem = 'format' | 'checksum';

export interface TaxNumberCheck {
  /** True when no rule applies, or the number follows it. */
  valid: boolean;
  /** The number as stored: upper case, without spaces, dots, dashes or slashes; free text only trimmed. */
  normalized: string;
  problem?: TaxNumberProblem;
  /** The country whose rule was applied: the client's, or the one a VAT prefix names ("DE…" for a Polish client). */
  country?: string;
  /** What the number is called there, and a well-formed example, for the error message. */
  taxName?: string;
  example?: string;
}

/** What people type around the number: spaces, dots, dashes, slashes, colons, brackets. */
const compact = (input: string) => input.toUpperCase().replace(/[^0-9A-Z+*]/g, '');

/** The country's number without its VAT prefix and trailing words such as MVA, ready for its check. */
function bodyOf(rule: TaxRule, country: string, text: string): string {
  let body = text;
  for (const suffix of rule.suffixes ?? []) if (body.endsWith(suffix)) body = body.slice(0, -suffix.length);
  const prefix = (rule.prefixes ?? [country]).find((candidate) => body.startsWith(candidate));
  if (prefix) body = body.slice(prefix.length);
  return rule.body ? rule.body(body) : body;
}

function problemWith(rule: TaxRule, country: string, input: string): TaxNumberProblem | undefined {
  if (rule.written && !rule.written.test(input.toUpperCase().replace(/\s/g, ''))) return 'format';
  const body = bodyOf(rule, country, compact(input));
  const formatOk = typeof rule.format === 'function' ? rule.format(body) : rule.format.test(body);
  if (!formatOk) return 'format';
  return rule.check && !rule.check(body) ? 'checksum' : undefined;
}

/** The country a number written with another country's VAT prefix belongs to (DE136695976 -> DE). */
function prefixCountry(text: string, country: string): string | null {
  for (const [other, rule] of Object.entries(RULES)) {
    if (other === country) continue;
    const prefixes = rule.prefixes ?? [other];
    if (prefixes.some((prefix) => text.startsWith(prefix))) return other;
  }
  return null;
}

/** Checks a tax number by the country's own rule only (an e-invoicing VAT scheme names one country). */
export function checkNationalTaxNumber(input: string, country: string | null): TaxNumberCheck {
  const rule = country ? RULES[country] : undefined;
  if (!rule || !country) return { valid: true, normalized: input.trim() };
  const problem = problemWith(rule, country, input);
  return {
    valid: !problem,
    normalized: compact(input),
    problem,
    country,
    taxName: rule.taxName,
    example: rule.example,
  };
}

/**
 * Checks a tax number against the client's country. A number written with another country's VAT prefix
 * (a Polish client with a German VAT number) is checked by that country's rule when the client's own rule
 * refuses it. The stored form keeps what the user meant (a Polish NIP stays a NIP, "PL5260001246" stays an EU
 * VAT number) but drops the punctuation people type.
 */
export function checkTaxNumber(input: string, country: string | null): TaxNumberCheck {
  const own = checkNationalTaxNumber(input, country);
  const other = own.valid || !country ? null : prefixCountry(own.normalized, country);
  return other ? checkNationalTaxNumber(input, other) : own;
}

/** The number's body without a country prefix, for matching the same number written two ways. */
export function taxNumberBody(input: string, country: string | null): string {
  const check = checkTaxNumber(input, country);
  const rule = check.country ? RULES[check.country] : undefined;
  if (!rule || !check.country) return compact(input).replace(/^[A-Z]{2}(?=\d)/, '');
  return bodyOf(rule, check.country, check.normalized);
}

/** What the tax number is called in the country (NIP in Poland, GSTIN in India...), or null when unknown. */
export function suggestedTaxName(country: string | null): string | null {
  return (country && RULES[country]?.taxName) || null;
}

const USUAL_TAX_NAMES = new Set(Object.values(RULES).map((rule) => rule.taxName));

/** Whether a tax name is one of those suggested for some country (so replacing it loses nothing the user wrote). */
export function isUsualTaxName(name: string): boolean {
  return USUAL_TAX_NAMES.has(name.trim());
}
