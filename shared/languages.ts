import ISO6391 from 'iso-639-1';
import type { Locale } from './locale';

/** ISO 639-1 codes (the two-letter BCP 47 primary tags), from a maintained list. */
export const LANGUAGE_CODES: readonly string[] = ISO6391.getAllCodes().slice().sort();
const LANGUAGE_SET = new Set(LANGUAGE_CODES);

export function isLanguageCode(code: string): boolean {
  return LANGUAGE_SET.has(code);
}

const namesByLocale = new Map<Locale, Intl.DisplayNames>();

export function languageName(code: string, locale: Locale): string {
  let names = namesByLocale.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' });
    namesByLocale.set(locale, names);
  }
  const name = names.of(code);
  return name && name !== code ? name : ISO6391.getName(code) || code;
}
