import type { Configuration } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { SessionSockets } from './session-sockets';
import { DEFAULT_THROTTLE_SETTINGS, LoginThrottle, MemoryAttemptCounter } from './throttle';

/** How long a session lasts: `idleMs` after its last request, and `absoluteMs` after sign-in whatever happens. */
export interface SessionSettings {
  idleMs: number;
  absoluteMs: number;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = { idleMs: 8 * 3600_000, absoluteMs: 30 * 24 * 3600_000 };
export const DEFAULT_PASSWORD_LINK_TTL_MS = 72 * 3600_000;

/** What the account code (sessions, sign-in, set-password links, portal accounts) needs from the running app. */
export interface AccountServices {
  sessions: SessionSettings;
  passwordLinkTtlMs: number;
  throttle: LoginThrottle;
  /** The open WebSockets per session, closed when their session ends; null outside a running app. */
  sockets: SessionSockets | null;
  /** Whether mail leaves the outbox (SMTP_URL is set); without it, set-password links are shown to the admin. */
  mailConfigured: boolean;
  /** Where links in e-mails point: PUBLIC_URL, or the address the server listens on. */
  publicUrl(): string;
}

function defaults(): AccountServices {
  return {
    sessions: DEFAULT_SESSION_SETTINGS,
    passwordLinkTtlMs: DEFAULT_PASSWORD_LINK_TTL_MS,
    throttle: new LoginThrottle(new MemoryAttemptCounter(), DEFAULT_THROTTLE_SETTINGS),
    sockets: null,
    mailConfigured: false,
    publicUrl: () => 'http://127.0.0.1:3000',
  };
}

// Like the bus, these belong to the ORM instance the app created (every fork shares its Configuration), so every
// place that reads or ends a session or hands out a link needs only its EntityManager.
const accountsByOrm = new WeakMap<Configuration, AccountServices>();

export function attachAccounts(em: EntityManager, services: AccountServices): void {
  accountsByOrm.set(em.config, services);
}

export function accountsOf(em: EntityManager): AccountServices {
  let services = accountsByOrm.get(em.config);
  if (!services) {
    services = defaults();
    accountsByOrm.set(em.config, services);
  }
  return services;
}
