import { COUNTRY_CODES, countryFlag, countryName } from '../../shared/countries';
import type { Locale } from '../../shared/locale';
import type { ComboOption } from './combo-box';

const collators = new Map<Locale, Intl.Collator>();
export function collator(locale: Locale): Intl.Collator {
  let found = collators.get(locale);
  if (!found) {
    found = new Intl.Collator(locale);
    collators.set(locale, found);
  }
  return found;
}

/** Names in the other UI language find an option too: a Polish user may type "Germany", an English one "Niemcy". */
export const other = (locale: Locale): Locale => (locale === 'pl' ? 'en' : 'pl');

export function countryOptions(locale: Locale): ComboOption[] {
  return COUNTRY_CODES.map((code) => {
    const name = countryName(code, locale);
    return {
      id: code,
      label: name,
      prefix: countryFlag(code),
      keywords: `${code} ${countryName(code, other(locale))}`,
    };
  }).sort((a, b) => collator(locale).compare(a.label, b.label));
}
