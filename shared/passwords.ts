import type { Locale, Localized } from './locale';

/**
 * The password rules both sides know: the length, checked as you type and again by the server. The server also
 * refuses the most common passwords (server/auth/password-policy.ts: the list is too big for the browser).
 */
export const PASSWORD_MIN_LENGTH = 12;
// scrypt hashes any length, but a megabyte "password" is only a way to burn CPU.
export const PASSWORD_MAX_LENGTH = 200;

const PASSWORD_MESSAGES = {
  tooShort: {
    en: `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`,
    pl: `Hasło musi mieć co najmniej ${PASSWORD_MIN_LENGTH} znaków.`,
  },
  tooLong: {
    en: `Password can be at most ${PASSWORD_MAX_LENGTH} characters.`,
    pl: `Hasło może mieć najwyżej ${PASSWORD_MAX_LENGTH} znaków.`,
  },
  tooCommon: {
    en: 'This password is one of the most common passwords (or one with a few digits added); choose another.',
    pl: 'To hasło jest jednym z najpopularniejszych (lub takim z dopisanymi cyframi); wybierz inne.',
  },
  tooSimple: {
    en: 'This password repeats one character; choose another.',
    pl: 'To hasło powtarza jeden znak; wybierz inne.',
  },
} as const satisfies Record<string, Localized>;

export type PasswordProblem = keyof typeof PASSWORD_MESSAGES;

export function passwordMessage(problem: PasswordProblem, locale: Locale = 'en'): string {
  return PASSWORD_MESSAGES[problem][locale];
}

/** The problem a password has that needs no list to see, or null. */
export function passwordShapeProblem(password: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'tooShort';
  if (length > PASSWORD_MAX_LENGTH) return 'tooLong';
  if (new Set(password).size === 1) return 'tooSimple';
  return null;
}

/** The server speaks English; the browser finds which rule an English message is, to show it in the UI's language. */
export function localizePasswordMessage(text: string, locale: Locale): string {
  const problem = (Object.keys(PASSWORD_MESSAGES) as PasswordProblem[]).find(
    (key) => PASSWORD_MESSAGES[key].en === text,
  );
  return problem ? PASSWORD_MESSAGES[problem][locale] : text;
}
