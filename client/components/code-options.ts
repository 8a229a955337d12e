// Apart from options.ts: the language and Peppol tables are only needed by the forms (loaded on demand), while
// the list, part of the first screen, needs the countries.
import { ACTIVE_EAS_SCHEMES } from '../../shared/eas';
import { LANGUAGE_CODES, languageName } from '../../shared/languages';
import type { Locale } from '../../shared/locale';
import type { ComboOption } from './combo-box';
import { collator, other } from './options';

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
