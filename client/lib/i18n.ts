import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { type ClientSection, FIELD_LABELS, SECTION_LABELS } from '../../shared/client-fields';
import { isLocale, type Locale } from '../../shared/locale';
import { setValidationLocale } from '../../shared/validation-locale';
import { en, pl } from './translations';

const STORAGE_KEY = 'kartoteka.locale';

function initialLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // storage may be unavailable (private mode); fall back to the browser's language
  }
  return navigator.language.toLowerCase().startsWith('pl') ? 'pl' : 'en';
}

function applyLocale(locale: Locale): void {
  setValidationLocale(locale);
  document.documentElement.lang = locale;
}

const locale = initialLocale();
applyLocale(locale);

void i18next.use(initReactI18next).init({
  lng: locale,
  fallbackLng: 'en',
  supportedLngs: ['en', 'pl'],
  resources: { en: { translation: en }, pl: { translation: pl } },
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function changeLocale(next: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not fatal: the choice just does not survive a reload
  }
  applyLocale(next);
  void i18next.changeLanguage(next);
}

/** The current UI locale, re-rendering when it changes. */
export function useLocale(): Locale {
  const { i18n } = useTranslation();
  return isLocale(i18n.language) ? i18n.language : 'en';
}

export function useFieldLabel(): (field: keyof typeof FIELD_LABELS) => string {
  const locale = useLocale();
  return (field) => FIELD_LABELS[field][locale];
}

export function sectionLabel(section: ClientSection, locale: Locale): string {
  return SECTION_LABELS[section][locale];
}

export default i18next;
