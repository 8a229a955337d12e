import type { Locale } from './locale';

/**
 * The language of validation messages. Apart from messages.ts so the browser can follow the UI's language from
 * the start without loading zod, which only the forms (loaded on demand) need.
 */
let current: Locale = 'en';
const followers = new Set<(locale: Locale) => void>();

/** Called by the browser when the user switches language; the server never calls it. */
export function setValidationLocale(locale: Locale): void {
  current = locale;
  for (const follow of followers) follow(locale);
}

export function validationLocale(): Locale {
  return current;
}

/** Runs `follow` now and on every later switch. */
export function followValidationLocale(follow: (locale: Locale) => void): void {
  followers.add(follow);
  follow(current);
}
