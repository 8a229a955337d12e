/**
 * Postal codes for the countries whose format is well known. Each rule normalizes what people type
 * (case, spacing, a missing dash) and says whether the result has the national shape. Other countries: free text.
 */
interface PostalRule {
  pattern: RegExp;
  /** Puts a compact, upper-case code into its written form (e.g. "00950" -> "00-950"). */
  format?: (compact: string) => string;
  example: string;
}

const GB_POSTCODE =
  /^(GIR 0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?|[0-9][A-HJKPS-UW]|[A-HK-Y][0-9]) [0-9][ABD-HJLNP-UW-Z]{2})$/;

const RULES: Record<string, PostalRule> = {
  PL: { pattern: /^\d{2}-\d{3}$/, format: (code) => code.replace(/^(\d{2})(\d{3})$/, '$1-$2'), example: '00-950' },
  DE: { pattern: /^\d{5}$/, example: '10115' },
  GB: { pattern: GB_POSTCODE, format: (code) => code.replace(/^(.+)(\d[A-Z]{2})$/, '$1 $2'), example: 'SW1A 1AA' },
  US: { pattern: /^\d{5}(-\d{4})?$/, format: (code) => code.replace(/^(\d{5})(\d{4})$/, '$1-$2'), example: '94105' },
  IN: { pattern: /^[1-9]\d{5}$/, example: '110001' },
  NL: {
    pattern: /^[1-9]\d{3} [A-Z]{2}$/,
    format: (code) => code.replace(/^(\d{4})([A-Z]{2})$/, '$1 $2'),
    example: '1012 AB',
  },
  BE: { pattern: /^[1-9]\d{3}$/, example: '1000' },
  NO: { pattern: /^\d{4}$/, example: '0150' },
  FR: { pattern: /^\d{5}$/, example: '75001' },
  AT: { pattern: /^[1-9]\d{3}$/, example: '1010' },
  CH: { pattern: /^[1-9]\d{3}$/, example: '8001' },
  SE: { pattern: /^[1-9]\d{2} \d{2}$/, format: (code) => code.replace(/^(\d{3})(\d{2})$/, '$1 $2'), example: '111 22' },
  DK: { pattern: /^\d{4}$/, example: '1050' },
  CZ: { pattern: /^[1-7]\d{2} \d{2}$/, format: (code) => code.replace(/^(\d{3})(\d{2})$/, '$1 $2'), example: '110 00' },
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
