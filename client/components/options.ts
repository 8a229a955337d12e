import { COUNTRY_CODES, countryFlag, countryName } from '../../shared/countries';
import { ACTIVE_EAS_SCHEMES } from '../../shared/eas';
import { LANGUAGE_CODES, languageName } from '../../shared/languages';
import type { Locale } from '../../shared/locale';
import type { ComboOption } from './combo-box';

const collators = new Map<Locale, Intl.Collator>();
function collator(locale: Locale): Intl.Collator {
  let found = collators.get(locale);
  if (!found) {
    found = new Intl.Collator(locale);
    collators.set(locale, found);
  }
  return found;
}

/** Names in the other UI language find an option too: a Polish user may type "Germany", an English one "Niemcy". */
const other = (locale: Locale): Locale => (locale === 'pl' ? 'en' : 'pl');

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

export function languageOptions(locale: Locale): ComboOption[] {
  return LANGUAGE_CODES.map((code) => {
    const name = languageName(code, locale);
    return { id: code, label: `${name} (${code})`, keywords: languageName(code, other(locale)) };
  }).sort((a, b) => collator(locale).compare(a.label, b.label));
}

export const easOptions: ComboOption[] = ACTIVE_EAS_SCHEMES.map((scheme) => ({
  id: scheme.code,
  label: `${scheme.code} — ${scheme.name}`,
}));
