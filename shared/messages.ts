import { z } from 'zod';
import { FIELD_LABELS } from './client-fields';
import type { Locale } from './locale';
import { followValidationLocale, validationLocale } from './validation-locale';

export { setValidationLocale, validationLocale } from './validation-locale';

/**
 * Validation messages in every UI language. The server speaks English (the API's language); the browser
 * switches with the UI so the same rules explain themselves in Polish at the field.
 */
const MESSAGES = {
  required: { en: '{field} is required.', pl: 'Pole „{field}” jest wymagane.' },
  tooLong: { en: '{field} can be at most {max} characters.', pl: 'Pole „{field}” może mieć najwyżej {max} znaków.' },
  email: {
    en: '{field} must be an e-mail address like name@example.com.',
    pl: 'Pole „{field}” musi być adresem e-mail, np. nazwa@example.com.',
  },
  oneOf: { en: '{field} must be one of: {options}.', pl: 'Pole „{field}” musi mieć jedną z wartości: {options}.' },
  country: {
    en: '{field} must be a two-letter ISO country code such as PL or DE; "{value}" is not one.',
    pl: 'Pole „{field}” musi być dwuliterowym kodem kraju ISO, np. PL lub DE; „{value}” nim nie jest.',
  },
  language: {
    en: '{field} must be a two-letter ISO 639-1 language code such as pl or en; "{value}" is not one.',
    pl: 'Pole „{field}” musi być dwuliterowym kodem języka ISO 639-1, np. pl lub en; „{value}” nim nie jest.',
  },
  phone: {
    en: '{field} is not a valid phone number. Enter it with the country dial code, e.g. +48 601 234 567.',
    pl: 'Pole „{field}” nie jest poprawnym numerem telefonu. Wpisz go z kierunkowym kraju, np. +48 601 234 567.',
  },
  website: {
    en: '{field} must be a web address starting with http:// or https://, e.g. https://example.com.',
    pl: 'Pole „{field}” musi być adresem strony zaczynającym się od http:// lub https://, np. https://example.com.',
  },
  easUnknown: {
    en: '{field}: "{value}" is not a Peppol electronic address scheme code. Pick one from the list.',
    pl: 'Pole „{field}”: „{value}” nie jest kodem schematu adresów Peppol. Wybierz go z listy.',
  },
  easDeprecated: {
    en: '{field}: scheme {value} is deprecated; use {replacement} instead.',
    pl: 'Pole „{field}”: schemat {value} jest wycofany; użyj {replacement}.',
  },
  easDeprecatedNoReplacement: {
    en: '{field}: scheme {value} is deprecated and may no longer be used.',
    pl: 'Pole „{field}”: schemat {value} jest wycofany i nie może być używany.',
  },
  easPair: {
    en: '{field} is required when {other} is filled in.',
    pl: 'Pole „{field}” jest wymagane, gdy wypełniono pole „{other}”.',
  },
  subcategoryWithoutCategory: {
    en: '{field} needs a category: choose the category first.',
    pl: 'Pole „{field}” wymaga kategorii: najpierw wybierz kategorię.',
  },
  subcategoryMismatch: {
    en: '{field} "{value}" does not belong to the chosen category "{category}".',
    pl: 'Pole „{field}”: „{value}” nie należy do wybranej kategorii „{category}”.',
  },
  unknownLookup: {
    en: '{field}: there is no such entry (id {value}). It may have been deleted; pick another.',
    pl: 'Pole „{field}”: nie ma takiej pozycji (id {value}). Mogła zostać usunięta; wybierz inną.',
  },
  unknownLookupName: {
    en: '{field}: there is no entry named "{value}". Add it in the settings, or correct the name.',
    pl: 'Pole „{field}”: nie ma pozycji o nazwie „{value}”. Dodaj ją w ustawieniach lub popraw nazwę.',
  },
  emailTaken: {
    en: '{field}: {value} is already used by client “{name}” (#{id}). Use another e-mail, or open that client.',
    pl: 'Pole „{field}”: adres {value} ma już klient „{name}” (#{id}). Podaj inny adres lub otwórz tego klienta.',
  },
  restoreEmailTaken: {
    en: 'Client “{client}” cannot be restored: its e-mail {value} is now used by client “{name}” (#{id}). Change one of the e-mails first.',
    pl: 'Nie można przywrócić klienta „{client}”: jego adres {value} ma teraz klient „{name}” (#{id}). Najpierw zmień jeden z adresów.',
  },
  taxNumberFormat: {
    en: "{field}: {taxName} numbers from {country} look like {example}; this one has the wrong length or characters. Check it against the client's documents.",
    pl: 'Pole „{field}”: numery {taxName} z kraju {country} wyglądają tak: {example}; ten ma złą długość lub znaki. Sprawdź go w dokumentach klienta.',
  },
  taxNumberChecksum: {
    en: "{field}: this {taxName} number fails its check digit, so a digit is probably mistyped. Check it against the client's documents (a valid one looks like {example}).",
    pl: 'Pole „{field}”: ten numer {taxName} ma błędną cyfrę kontrolną, więc któraś cyfra jest pewnie pomylona. Sprawdź go w dokumentach klienta (poprawny wygląda tak: {example}).',
  },
  postalCode: {
    en: '{field} does not look like a postal code in {country}. Write it like {example}.',
    pl: 'Pole „{field}” nie wygląda na kod pocztowy w kraju {country}. Wpisz go jak {example}.',
  },
  electronicAddressFormat: {
    en: '{field}: an address in scheme {scheme} looks like {example}; this one has the wrong length or characters.',
    pl: 'Pole „{field}”: adres w schemacie {scheme} wygląda tak: {example}; ten ma złą długość lub znaki.',
  },
  electronicAddressChecksum: {
    en: '{field}: this number fails the check digit of scheme {scheme}, so a digit is probably mistyped (a valid one looks like {example}).',
    pl: 'Pole „{field}”: ten numer ma błędną cyfrę kontrolną schematu {scheme}, więc któraś cyfra jest pewnie pomylona (poprawny wygląda tak: {example}).',
  },
  invalid: { en: '{field} is not valid.', pl: 'Pole „{field}” jest niepoprawne.' },
} as const satisfies Record<string, Record<Locale, string>>;

export type MessageKey = keyof typeof MESSAGES;

// zod's own messages (wrong type, too short, ...) follow the UI's language too.
followValidationLocale((locale) => z.config(locale === 'pl' ? z.locales.pl() : z.locales.en()));

// The page's CSP forbids eval: in the browser, tell zod not to probe for it (its JIT is only a speed-up, which the
// server keeps). Here because every schema the browser runs imports this module, so it is set before any parse.
if (typeof window !== 'undefined') z.config({ jitless: true });

export function fieldLabel(field: string, locale: Locale = validationLocale()): string {
  return (FIELD_LABELS as Record<string, Record<Locale, string>>)[field]?.[locale] ?? field;
}

export function message(key: MessageKey, params: Record<string, string | number> = {}): string {
  return MESSAGES[key][validationLocale()].replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (name === 'field' || name === 'other') {
      return typeof params[name] === 'string' ? fieldLabel(params[name]) : whole;
    }
    return params[name] === undefined ? whole : String(params[name]);
  });
}
