import type { ClientStatus } from '../../shared/enums';
import type { Locale } from '../../shared/locale';

/** A mail's text: plain text only, so nothing in it can run or track. */
export interface MailText {
  subject: string;
  body: string;
}

const STATUS_NAMES: Record<Locale, Record<ClientStatus, string>> = {
  en: { active: 'Active', inactive: 'Inactive' },
  pl: { active: 'Aktywny', inactive: 'Nieaktywny' },
};

/** Clients get mail in their own language (the card's Language), when it is one the app speaks. */
export function mailLocale(language: string | null | undefined): Locale {
  return language === 'pl' ? 'pl' : 'en';
}

const SIGNATURE: Record<Locale, string> = {
  en: 'You receive this because e-mail notifications are on for your account. Ask us to turn them off at any time.',
  pl: 'Otrzymujesz tę wiadomość, bo masz włączone powiadomienia e-mail. Możesz poprosić o ich wyłączenie w każdej chwili.',
};

function notification(locale: Locale, subject: string, lines: string[], portalUrl: string | null): MailText {
  const signIn = portalUrl
    ? [
        locale === 'pl'
          ? `Zaloguj się, aby zobaczyć szczegóły: ${portalUrl}`
          : `Sign in to see the details: ${portalUrl}`,
      ]
    : [];
  return { subject, body: [...lines, ...signIn, '', '--', SIGNATURE[locale]].join('\n') };
}

export function statusChangedMail(
  locale: Locale,
  input: { clientName: string; status: ClientStatus; portalUrl: string | null },
): MailText {
  const status = STATUS_NAMES[locale][input.status];
  return locale === 'pl'
    ? notification(
        locale,
        `Zmiana statusu: ${status}`,
        [`Dzień dobry ${input.clientName},`, '', `status Twojego konta zmienił się na: ${status}.`, ''],
        input.portalUrl,
      )
    : notification(
        locale,
        `Your status changed to ${status}`,
        [`Hello ${input.clientName},`, '', `the status of your account is now: ${status}.`, ''],
        input.portalUrl,
      );
}

export function noteAddedMail(
  locale: Locale,
  input: { clientName: string; body: string; portalUrl: string | null },
): MailText {
  return locale === 'pl'
    ? notification(
        locale,
        'Nowa notatka na Twoim koncie',
        [`Dzień dobry ${input.clientName},`, '', 'dodaliśmy notatkę na Twoim koncie:', '', input.body, ''],
        input.portalUrl,
      )
    : notification(
        locale,
        'A new note on your account',
        [`Hello ${input.clientName},`, '', 'we added a note to your account:', '', input.body, ''],
        input.portalUrl,
      );
}

export function documentAddedMail(
  locale: Locale,
  input: { clientName: string; fileName: string; portalUrl: string | null },
): MailText {
  return locale === 'pl'
    ? notification(
        locale,
        `Nowy dokument: ${input.fileName}`,
        [`Dzień dobry ${input.clientName},`, '', `dodaliśmy dokument „${input.fileName}” do Twojego konta.`, ''],
        input.portalUrl,
      )
    : notification(
        locale,
        `A new document: ${input.fileName}`,
        [`Hello ${input.clientName},`, '', `we added the document "${input.fileName}" to your account.`, ''],
        input.portalUrl,
      );
}

/** The one-time link for a new account (staff or portal) or a password reset. */
export function passwordLinkMail(
  locale: Locale,
  input: { name: string; url: string; expiresAt: Date; purpose: 'invite' | 'reset' | 'portal' },
): MailText {
  const until = input.expiresAt.toISOString().replace('T', ' ').slice(0, 16);
  if (locale === 'pl') {
    const intro =
      input.purpose === 'reset'
        ? 'poproszono o nowe hasło do Twojego konta w Kartotece.'
        : 'założyliśmy dla Ciebie konto w Kartotece.';
    return {
      subject: input.purpose === 'reset' ? 'Ustaw nowe hasło' : 'Twoje konto w Kartotece',
      body: [
        `Dzień dobry ${input.name},`,
        '',
        intro,
        `Ustaw hasło, otwierając ten link (działa jeden raz, do ${until} UTC):`,
        input.url,
        '',
        'Jeśli to nie Ty, zignoruj tę wiadomość.',
      ].join('\n'),
    };
  }
  const intro =
    input.purpose === 'reset'
      ? 'a new password was requested for your Kartoteka account.'
      : 'an account was created for you in Kartoteka.';
  return {
    subject: input.purpose === 'reset' ? 'Set a new password' : 'Your Kartoteka account',
    body: [
      `Hello ${input.name},`,
      '',
      intro,
      `Set your password by opening this link (it works once, until ${until} UTC):`,
      input.url,
      '',
      'If this was not you, ignore this message.',
    ].join('\n'),
  };
}
