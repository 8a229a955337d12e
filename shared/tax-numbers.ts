/**
 * Tax identification numbers: the format and check digit of each country's number where one is published
 * (every EU VAT number, the UK, Norway, Switzerland, India's GSTIN and the US EIN). Algorithms follow the
 * national specifications as collected by python-stdnum. Countries not listed take free text.
 */

const digitsOf = (text: string): number[] => [...text].map(Number);
const isDigits = (text: string, length?: number) =>
  /^\d+$/.test(text) && (length === undefined || text.length === length);
const weighted = (digits: string, weights: readonly number[]) =>
  weights.reduce((sum, weight, index) => sum + weight * Number(digits[index]), 0);

/** The Luhn checksum of a digit string (0 when the string, including its check digit, is valid). */
export function luhnChecksum(number: string): number {
  const reversed = digitsOf(number).reverse();
  let sum = 0;
  reversed.forEach((digit, index) => {
    if (index % 2 === 0) sum += digit;
    else sum += digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
  });
  return sum % 10;
}
const luhnValid = (number: string) => isDigits(number) && luhnChecksum(number) === 0;
const luhnCheckDigit = (number: string) => (10 - luhnChecksum(`${number}0`)) % 10;

/** ISO 7064 Mod 11,10, used by Germany and Croatia. */
function iso7064Mod11_10Valid(number: string): boolean {
  let check = 5;
  for (const digit of number) check = ((((check || 10) * 2) % 11) + Number(digit)) % 10;
  return check === 1;
}

/** Mod 97 over the number with letters as 10..35 (ISO 7064 style), used by the newer Dutch VAT numbers. */
function mod97(text: string): number {
  let remainder = 0;
  for (const char of text) {
    const value = Number.parseInt(char, 36);
    const chunk = value > 9 ? String(value) : char;
    for (const digit of chunk) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

/** An eleven-based check digit: 11 - sum mod 11, where 11 gives 0 and 10 means "no valid number". */
function mod11Check(digits: string, weights: readonly number[]): number | null {
  const check = 11 - (weighted(digits, weights) % 11);
  if (check === 11) return 0;
  return check === 10 ? null : check;
}

export const belgianEnterpriseNumber = (number: string): boolean =>
  isDigits(number, 10) && /^[01]/.test(number) && 97 - (Number(number.slice(0, 8)) % 97) === Number(number.slice(8));

export const norwegianOrgNumber = (number: string): boolean =>
  isDigits(number, 9) && mod11Check(number, [3, 2, 7, 6, 5, 4, 3, 2]) === Number(number[8]);

export const danishCvr = (number: string): boolean =>
  isDigits(number, 8) && number[0] !== '0' && weighted(number, [2, 7, 6, 5, 4, 3, 2, 1]) % 11 === 0;

/** A Swedish organisation number: ten digits with a Luhn check digit. */
export const swedishOrgNumber = (number: string): boolean => isDigits(number, 10) && luhnValid(number);

const germanVat = (number: string) => isDigits(number, 9) && number[0] !== '0' && iso7064Mod11_10Valid(number);

function dutchVat(number: string): boolean {
  const match = /^(\d{9})B(\d{2})$/.exec(number);
  if (!match) return false;
  const [, body] = match as unknown as [string, string];
  const oldStyle = (weighted(body, [9, 8, 7, 6, 5, 4, 3, 2]) - Number(body[8])) % 11 === 0;
  return oldStyle || mod97(`NL${number}`) === 1;
}

function spanishNif(number: string): boolean {
  if (!/^[0-9A-Z]\d{7}[0-9A-Z]$/.test(number)) return false;
  const letters = 'TRWAGMYFPDXBNJZSQVHLCKE';
  const first = number[0] as string;
  const last = number[8] as string;
  // DNI (8 digits) and NIE (X, Y, Z standing for 0, 1, 2): a letter from the number mod 23.
  const nieDigit = { X: '0', Y: '1', Z: '2' }[first];
  if (isDigits(first) || nieDigit) {
    const body = `${nieDigit ?? first}${number.slice(1, 8)}`;
    return letters[Number(body) % 23] === last;
  }
  // K, L, M: personal numbers for people without a DNI, checked like a DNI over the seven digits.
  if ('KLM'.includes(first)) return letters[Number(number.slice(1, 8)) % 23] === last;
  // CIF: a company letter, seven digits and a Luhn-based digit or letter.
  if (!'ABCDEFGHJNPQRSUVW'.includes(first)) return false;
  const check = luhnCheckDigit(number.slice(1, 8));
  return last === String(check) || last === 'JABCDEFGHI'[check];
}

function frenchVat(number: string): boolean {
  const match = /^([0-9A-Z]{2})(\d{9})$/.exec(number);
  if (!match) return false;
  const [, key, siren] = match as unknown as [string, string, string];
  if (!luhnValid(siren)) return false;
  // Newer keys may hold letters; their check is not published, so only numeric keys are verified.
  if (!isDigits(key)) return true;
  return Number(key) === (12 + 3 * (Number(siren) % 97)) % 97;
}

function irishVat(number: string): boolean {
  let normalized = number;
  // The old format (digit, letter or + or *, five digits, letter) maps onto the new one.
  if (/^\d[A-Z+*]\d{5}[A-W]$/.test(number)) normalized = `0${number.slice(2, 7)}${number[0]}${number[7]}`;
  const match = /^(\d{7})([A-W])([A-IW]?)$/.exec(normalized);
  if (!match) return false;
  const [, digits, letter, extra] = match as unknown as [string, string, string, string];
  const alphabet = 'WABCDEFGHIJKLMNOPQRSTUV';
  const sum = weighted(digits, [8, 7, 6, 5, 4, 3, 2]) + (extra ? 9 * alphabet.indexOf(extra) : 0);
  return alphabet[sum % 23] === letter;
}

function italianVat(number: string): boolean {
  if (!isDigits(number, 11) || /^0{7}/.test(number)) return false;
  const office = Number(number.slice(7, 10));
  const officeOk = (office >= 1 && office <= 100) || [120, 121, 888, 999].includes(office);
  return officeOk && luhnValid(number);
}

function lithuanianVat(number: string): boolean {
  if (!(isDigits(number, 9) || isDigits(number, 12))) return false;
  if (number[number.length - 2] !== '1') return false;
  const body = number.slice(0, -1);
  let check = [...body].reduce((sum, digit, index) => sum + (1 + (index % 9)) * Number(digit), 0) % 11;
  if (check === 10) {
    check = [...body].reduce((sum, digit, index) => sum + (1 + ((index + 2) % 9)) * Number(digit), 0) % 11;
  }
  return check % 10 === Number(number[number.length - 1]);
}

function latvianVat(number: string): boolean {
  if (!isDigits(number, 11)) return false;
  if (Number(number[0]) > 3) return weighted(number, [9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1]) % 11 === 3;
  // Personal codes issued since 2017 start with 32 and carry no check digit.
  if (number.startsWith('32')) return true;
  const check = (1 - weighted(number, [10, 5, 8, 4, 2, 1, 6, 3, 7, 9])) % 11;
  return ((check + 11) % 11) % 10 === Number(number[10]) && (check + 11) % 11 !== 10;
}

function bulgarianVat(number: string): boolean {
  if (isDigits(number, 9)) {
    let check = weighted(number, [1, 2, 3, 4, 5, 6, 7, 8]) % 11;
    if (check === 10) check = (weighted(number, [3, 4, 5, 6, 7, 8, 9, 10]) % 11) % 10;
    return check === Number(number[8]);
  }
  if (!isDigits(number, 10)) return false;
  const last = Number(number[9]);
  const person = (weighted(number, [2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11) % 10 === last;
  const foreigner = weighted(number, [21, 19, 17, 13, 11, 9, 7, 3, 1]) % 10 === last;
  const other = mod11Check(number, [4, 3, 2, 7, 6, 5, 4, 3, 2]) === last;
  return person || foreigner || other;
}

function cypriotVat(number: string): boolean {
  if (!/^[0-59]\d{7}[A-Z]$/.test(number) || number.startsWith('2')) return false;
  const translation = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
  let sum = 0;
  for (let index = 0; index < 8; index++) {
    const digit = Number(number[index]);
    sum += index % 2 === 0 ? (translation[digit] as number) : digit;
  }
  return 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[sum % 26] === number[8];
}

function czechVat(number: string): boolean {
  if (isDigits(number, 8)) {
    if (number[0] === '9') return false;
    const check = (11 - (weighted(number, [8, 7, 6, 5, 4, 3, 2]) % 11)) % 11;
    return (check || 1) % 10 === Number(number[7]);
  }
  // Nine digits: birth numbers issued before 1954 (no check digit) or special individual numbers (leading 6).
  if (isDigits(number, 9)) return true;
  if (isDigits(number, 10)) {
    const value = BigInt(number);
    return value % 11n === 0n || (BigInt(number.slice(0, 9)) % 11n === 10n && number[9] === '0');
  }
  return false;
}

function greekVat(number: string): boolean {
  const padded = number.length === 8 ? `0${number}` : number;
  if (!isDigits(padded, 9)) return false;
  const sum = weighted(padded, [256, 128, 64, 32, 16, 8, 4, 2]);
  return (sum % 11) % 10 === Number(padded[8]);
}

function romanianVat(number: string): boolean {
  if (!/^\d{2,10}$/.test(number) || number[0] === '0') return false;
  const body = number.slice(0, -1).padStart(9, '0');
  const check = ((10 * weighted(body, [7, 5, 3, 2, 1, 7, 5, 3, 2])) % 11) % 10;
  return check === Number(number[number.length - 1]);
}

function slovenianVat(number: string): boolean {
  if (!isDigits(number, 8) || number[0] === '0') return false;
  const check = 11 - (weighted(number, [8, 7, 6, 5, 4, 3, 2]) % 11);
  if (check === 11) return false;
  return check % 10 === Number(number[7]);
}

function britishVat(number: string): boolean {
  // Government departments and health authorities: GD or HA plus three digits.
  if (/^GD[0-4]\d{2}$/.test(number)) return true;
  if (/^HA[5-9]\d{2}$/.test(number)) return true;
  if (!(isDigits(number, 9) || isDigits(number, 12))) return false;
  const sum = weighted(number, [8, 7, 6, 5, 4, 3, 2, 10, 1]);
  return sum % 97 === 0 || (sum + 55) % 97 === 0;
}

function swissUid(number: string): boolean {
  const match = /^CHE(\d{9})$/.exec(number);
  if (!match) return false;
  const digits = match[1] as string;
  return mod11Check(digits, [5, 4, 3, 2, 7, 6, 5, 4]) === Number(digits[8]);
}

const GSTIN_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** India's GSTIN: state code, the holder's PAN, an entity number, Z, and a base-36 check character. */
export function indianGstin(number: string): boolean {
  if (!/^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/.test(number)) return false;
  const state = Number(number.slice(0, 2));
  if (state < 1 || (state > 38 && state !== 97 && state !== 99)) return false;
  let sum = 0;
  for (let index = 0; index < 14; index++) {
    const product = GSTIN_ALPHABET.indexOf(number[index] as string) * (index % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / 36) + (product % 36);
  }
  return GSTIN_ALPHABET[(36 - (sum % 36)) % 36] === number[14];
}

// Campus prefixes the IRS assigns; any other two-digit start is not an EIN.
const EIN_PREFIXES = new Set(
  ['01-06', '10-16', '20-27', '30-39', '40-48', '50-68', '71-77', '80-88', '90-95', '98-99'].flatMap((range) => {
    const [from, to] = range.split('-').map(Number) as [number, number];
    return Array.from({ length: to - from + 1 }, (_, index) => String(from + index).padStart(2, '0'));
  }),
);
const usEin = (number: string) => isDigits(number, 9) && EIN_PREFIXES.has(number.slice(0, 2));

interface TaxRule {
  /** Prefixes a VAT number may carry (the country code by default; EL for Greece); stripped before checking. */
  prefixes?: readonly string[];
  /** Suffixes people write after the number (Norway's MVA, Switzerland's MWST...); stripped before checking. */
  suffixes?: readonly string[];
  /** Turns the compact body into the form its check expects (e.g. Belgium's old nine-digit numbers). */
  body?: (compact: string) => string;
  valid: (body: string) => boolean;
  /** What the tax number is called there, suggested in the form. */
  taxName: string;
  /** A well-formed example, quoted in error messages. */
  example: string;
}

const vat = (valid: (body: string) => boolean, example: string, taxName = 'VAT'): TaxRule => ({
  valid,
  example,
  taxName,
});

const RULES: Record<string, TaxRule> = {
  AT: vat(
    (body) => /^U\d{8}$/.test(body) && (6 - luhnChecksum(body.slice(1, 8)) + 10) % 10 === Number(body[8]),
    'ATU13585627',
    'UID',
  ),
  BE: {
    ...vat(belgianEnterpriseNumber, 'BE0403019261', 'BTW/TVA'),
    body: (compact) => (compact.length === 9 ? `0${compact}` : compact),
  },
  BG: vat(bulgarianVat, 'BG175074752', 'ДДС'),
  CY: vat(cypriotVat, 'CY10259033P'),
  CZ: vat(czechVat, 'CZ25123891', 'DIČ'),
  DE: vat(germanVat, 'DE136695976', 'USt-IdNr.'),
  DK: vat(danishCvr, 'DK13585628', 'CVR'),
  EE: vat((body) => isDigits(body, 9) && weighted(body, [3, 7, 1, 3, 7, 1, 3, 7, 1]) % 10 === 0, 'EE100931558', 'KMKR'),
  ES: vat(spanishNif, 'ESA13585625', 'NIF'),
  FI: vat(
    (body) => isDigits(body, 8) && mod11Check(body, [7, 9, 10, 5, 8, 4, 2]) === Number(body[7]),
    'FI20774740',
    'ALV',
  ),
  FR: vat(frenchVat, 'FR40303265045', 'TVA'),
  GR: { ...vat(greekVat, 'EL094259216', 'ΑΦΜ'), prefixes: ['EL', 'GR'] },
  HR: vat((body) => isDigits(body, 11) && iso7064Mod11_10Valid(body), 'HR33392005961', 'OIB'),
  HU: vat((body) => isDigits(body, 8) && weighted(body, [9, 7, 3, 1, 9, 7, 3, 1]) % 10 === 0, 'HU12892312', 'ANUM'),
  IE: vat(irishVat, 'IE6433435F'),
  IT: vat(italianVat, 'IT00743110157', 'P.IVA'),
  LT: vat(lithuanianVat, 'LT119511515', 'PVM'),
  LU: vat((body) => isDigits(body, 8) && Number(body.slice(0, 6)) % 89 === Number(body.slice(6)), 'LU15027442', 'TVA'),
  LV: vat(latvianVat, 'LV40003521600', 'PVN'),
  MT: vat(
    (body) => isDigits(body, 8) && body[0] !== '0' && weighted(body, [3, 4, 6, 7, 8, 9, 10, 1]) % 37 === 0,
    'MT11679112',
  ),
  NL: vat(dutchVat, 'NL004495445B01', 'btw-id'),
  PL: vat(
    (body) => isDigits(body, 10) && weighted(body, [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 === Number(body[9]),
    '526-000-12-46',
    'NIP',
  ),
  PT: vat(
    (body) =>
      isDigits(body, 9) && body[0] !== '0' && (mod11Check(body, [9, 8, 7, 6, 5, 4, 3, 2]) ?? 0) === Number(body[8]),
    'PT501964843',
    'NIF',
  ),
  RO: vat(romanianVat, 'RO18547290', 'CIF'),
  SE: vat((body) => /^\d{10}01$/.test(body) && swedishOrgNumber(body.slice(0, 10)), 'SE556188840401', 'Momsnr.'),
  SI: vat(slovenianVat, 'SI50223054', 'DDV'),
  SK: vat(
    (body) =>
      isDigits(body, 10) && body[0] !== '0' && '234789'.includes(body[2] as string) && BigInt(body) % 11n === 0n,
    'SK2022749619',
    'IČ DPH',
  ),
  GB: vat(britishVat, 'GB980780684'),
  NO: { ...vat(norwegianOrgNumber, '974 760 673 MVA', 'MVA'), suffixes: ['MVA'] },
  CH: { ...vat(swissUid, 'CHE-116.281.710 MWST', 'UID'), prefixes: [], suffixes: ['MWST', 'TVA', 'IVA'] },
  IN: { ...vat(indianGstin, '27AAPFU0939F1ZV', 'GSTIN'), prefixes: [] },
  US: { ...vat(usEin, '12-3456789', 'EIN'), prefixes: [] },
};

/** Countries whose tax numbers are checked; elsewhere the tax number is free text. */
export const CHECKED_TAX_COUNTRIES: readonly string[] = Object.keys(RULES);

export interface TaxNumberCheck {
  /** True when the country has no published rule, or the number follows it. */
  valid: boolean;
  /** The number as stored: upper case, without spaces, dots, dashes or slashes. */
  normalized: string;
  /** A well-formed example for the error message; absent for countries without a rule. */
  example?: string;
}

const compact = (input: string) => input.toUpperCase().replace(/[\s.\-/,]/g, '');

/** The country's number without its VAT prefix and trailing words such as MVA, ready for its check. */
function bodyOf(rule: TaxRule, country: string, text: string): string {
  let body = text;
  for (const suffix of rule.suffixes ?? []) if (body.endsWith(suffix)) body = body.slice(0, -suffix.length);
  const prefix = (rule.prefixes ?? [country]).find((candidate) => body.startsWith(candidate));
  if (prefix) body = body.slice(prefix.length);
  return rule.body ? rule.body(body) : body;
}

/**
 * Checks a tax number against the country's rule. The stored form keeps what the user meant (a Polish NIP
 * stays a NIP, "PL5260001246" stays an EU VAT number) but drops the punctuation people type.
 */
export function checkTaxNumber(input: string, country: string | null): TaxNumberCheck {
  const normalized = compact(input);
  const rule = country ? RULES[country] : undefined;
  if (!rule || !country) return { valid: true, normalized: input.trim() };
  return { valid: rule.valid(bodyOf(rule, country, normalized)), normalized, example: rule.example };
}

/** The number's body without a country prefix, for matching the same number written two ways. */
export function taxNumberBody(input: string, country: string | null): string {
  const normalized = compact(input);
  const rule = country ? RULES[country] : undefined;
  if (!rule || !country) return normalized.replace(/^[A-Z]{2}(?=\d)/, '');
  return bodyOf(rule, country, normalized);
}

/** What the tax number is called in the country (NIP in Poland, GSTIN in India...), or null when unknown. */
export function suggestedTaxName(country: string | null): string | null {
  return (country && RULES[country]?.taxName) || null;
}
