import type { IncomingMessage } from 'node:http';
import type { MikroORM } from '@mikro-orm/core';
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import { sessionChecksOf } from './auth/session-checks';
import { readCookie, SESSION_COOKIE, type SessionUser } from './auth/sessions';
import type { AppConfig } from './config';
import type { Realtime } from './live/realtime';
import type { OutgoingSocket } from './live/subscriber';
import type { Metrics } from './ops/metrics';

export const CSRF_HEADER = 'x-kartoteka-csrf';

/** What every procedure call knows. The ORM, not a fork: a WebSocket connection's context lives for hours. */
export interface Context {
  orm: MikroORM;
  config: AppConfig;
  realtime: Realtime;
  metrics: Metrics;
  transport: 'http' | 'ws';
  /** The connection's WebSocket, so subscriptions can keep its send queue bounded; null over HTTP. */
  socket: OutgoingSocket | null;
  user: SessionUser | null;
  sessionToken: string | undefined;
  /** A cross-site form cannot set a custom header, so its presence proves the call came from our own pages. */
  csrfOk: boolean;
  /** The caller's network address (behind a proxy: as TRUST_PROXY allows), for sign-in throttling and the audit log. */
  clientAddress: string | null;
  secure: boolean;
  setCookie: (cookie: string) => void;
}

/** The upgrade handler authenticates a WebSocket once and leaves the user on the request. */
export interface AuthenticatedUpgrade extends IncomingMessage {
  kartoteka?: { user: SessionUser; token: string; address: string | null };
}

export function httpContextFactory(orm: MikroORM, config: AppConfig, realtime: Realtime, metrics: Metrics) {
  return async ({ req, res }: CreateExpressContextOptions): Promise<Context> => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    return {
      orm,
      config,
      realtime,
      metrics,
      transport: 'http',
      socket: null,
      user: await sessionChecksOf(orm).requestUser(token),
      sessionToken: token,
      csrfOk: req.headers[CSRF_HEADER] === '1',
      clientAddress: req.ip ?? null,
      secure: req.secure,
      setCookie: (cookie) => res.append('Set-Cookie', cookie),
    };
  };
}

export function wsContextFactory(orm: MikroORM, config: AppConfig, realtime: Realtime, metrics: Metrics) {
  return async ({ req, res }: { req: IncomingMessage; res: OutgoingSocket }): Promise<Context> => {
    const auth = (req as AuthenticatedUpgrade).kartoteka;
    return {
      orm,
      config,
      realtime,
      metrics,
      transport: 'ws',
      socket: res,
      user: auth?.user ?? null,
      sessionToken: auth?.token,
      // The upgrade checked the Origin header, which a browser always sends and a page cannot forge.
      csrfOk: true,
      clientAddress: auth?.address ?? null,
      secure: false,
      setCookie: () => {},
    };
  };
}
