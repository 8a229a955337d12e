/**
 * Postal codes for the countries whose format is well known (the national posts' formats as the UPU publishes
 * them). Each rule normalizes what people type (case, spacing, a missing dash) and says whether the result has
 * the national shape. Other countries: free text.
 */
interface PostalRule {
  pattern: RegExp;
  /** Puts a compact, upper-case code (no spaces or dashes) into its written form (e.g. "00950" -> "00-950"). */
  format?: (compact: string) => string;
  example: string;
}

/** Writes `separator` after the first `length` characters of a code that has `total` characters. */
const splitAt =
  (length: number, total: number, separator = ' ') =>
  (code: string) =>
    code.length === total ? `${code.slice(0, length)}${separator}${code.slice(length)}` : code;

/** Codes written with a country prefix (LT-01103): the prefix is added when missing. */
const prefixed = (prefix: string) => (code: string) => `${prefix}-${code.replace(new RegExp(`^${prefix}`), '')}`;

const GB_POSTCODE =
  /^(GIR 0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?|[0-9][A-HJKPS-UW]|[A-HK-Y][0-9]) [0-9][ABD-HJLNP-UW-Z]{2})$/;

const RULES: Record<string, PostalRule> = {
  PL: { pattern: /^\d{2}-\d{3}$/, format: splitAt(2, 5, '-'), example: '00-950' },
  DE: { pattern: /^(0[1-9]|[1-9]\d)\d{3}$/, example: '10115' },
  GB: { pattern: GB_POSTCODE, format: (code) => code.replace(/^(.+)(\d[A-Z]{2})$/, '$1 $2'), example: 'SW1A 1AA' },
  US: { pattern: /^\d{5}(-\d{4})?$/, format: splitAt(5, 9, '-'), example: '94105' },
  IN: { pattern: /^[1-9]\d{5}$/, example: '110001' },
  NL: { pattern: /^[1-9]\d{3} [A-Z]{2}$/, format: splitAt(4, 6), example: '1012 AB' },
  BE: { pattern: /^[1-9]\d{3}$/, example: '1000' },
  NO: { pattern: /^\d{4}$/, example: '0150' },
  FR: { pattern: /^\d{5}$/, example: '75001' },
  AT: { pattern: /^[1-9]\d{3}$/, example: '1010' },
  CH: { pattern: /^[1-9]\d{3}$/, example: '8001' },
  SE: { pattern: /^[1-9]\d{2} \d{2}$/, format: splitAt(3, 5), example: '111 22' },
  DK: { pattern: /^\d{4}$/, example: '1050' },
  CZ: { pattern: /^[1-7]\d{2} \d{2}$/, format: splitAt(3, 5), example: '110 00' },
  SK: { pattern: /^[089]\d{2} \d{2}$/, format: splitAt(3, 5), example: '811 01' },
  ES: { pattern: /^(0[1-9]|[1-4]\d|5[0-2])\d{3}$/, example: '28001' },
  IT: { pattern: /^\d{5}$/, example: '00184' },
  PT: { pattern: /^[1-9]\d{3}-\d{3}$/, format: splitAt(4, 7, '-'), example: '1000-001' },
  FI: { pattern: /^\d{5}$/, example: '00100' },
  EE: { pattern: /^\d{5}$/, example: '10111' },
  LT: { pattern: /^LT-\d{5}$/, format: prefixed('LT'), example: 'LT-01103' },
  LV: { pattern: /^LV-\d{4}$/, format: prefixed('LV'), example: 'LV-1010' },
  HU: { pattern: /^[1-9]\d{3}$/, example: '1051' },
  SI: { pattern: /^[1-9]\d{3}$/, format: (code) => code.replace(/^SI(?=\d{4}$)/, ''), example: '1000' },
  HR: { pattern: /^[1-5]\d{4}$/, example: '10000' },
  RO: { pattern: /^\d{6}$/, example: '010011' },
  BG: { pattern: /^[1-9]\d{3}$/, example: '1000' },
  GR: { pattern: /^[1-8]\d{2} \d{2}$/, format: splitAt(3, 5), example: '105 57' },
  LU: { pattern: /^L-\d{4}$/, format: prefixed('L'), example: 'L-1009' },
  IE: {
    pattern: /^([AC-FHKNPRTV-Y]\d{2}|D6W) [0-9AC-FHKNPRTV-Y]{4}$/,
    format: splitAt(3, 7),
    example: 'D02 X285',
  },
  CA: {
    pattern: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$/,
    format: splitAt(3, 6),
    example: 'K1A 0B1',
  },
  AU: { pattern: /^\d{4}$/, example: '2000' },
  JP: { pattern: /^\d{3}-\d{4}$/, format: splitAt(3, 7, '-'), example: '100-0001' },
  BR: { pattern: /^\d{5}-\d{3}$/, format: splitAt(5, 8, '-'), example: '01310-100' },
};

export interface PostalCodeCheck {
  valid: boolean;
  normalized: string;
  example?: string;
}

export function checkPostalCode(input: string, country: string | null): PostalCodeCheck {
  const rule = country ? RULES[country] : undefined;
  if (!rule) return { valid: true, normalized: input.trim() };
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  const normalized = rule.format ? rule.format(compact) : compact;
  return { valid: rule.pattern.test(normalized), normalized, example: rule.example };
}
