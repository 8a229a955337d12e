import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import express from 'express';
import { WebSocketServer } from 'ws';
import { addEventHook, attachBus } from './activity/write-path';
import { appRouter } from './app-router';
import { attachAccounts, DEFAULT_PASSWORD_LINK_TTL_MS, DEFAULT_SESSION_SETTINGS } from './auth/accounts';
import { SYSTEM_ACTOR } from './auth/actor';
import { SessionSockets } from './auth/session-sockets';
import { readCookie, SESSION_COOKIE, userForToken } from './auth/sessions';
import { DEFAULT_THROTTLE_SETTINGS, LoginThrottle, MemoryAttemptCounter } from './auth/throttle';
import { clientCsvRoutes } from './clients/csv-routes';
import { Client } from './clients/entity';
import { refreshQueryStatistics } from './clients/search';
import type { AppConfig } from './config';
import { type AuthenticatedUpgrade, httpContextFactory, wsContextFactory } from './context';
import { seedDemo } from './db/demo-data';
import { openDatabase } from './db/orm';
import { fileRoutes } from './files/routes';
import { type Bus, InProcessBus } from './live/bus';
import { createRealtime, type Realtime, type RealtimeSettings } from './live/realtime';
import { notifyClients } from './mail/notifications';
import { DEFAULT_MAIL_SETTINGS, MailSender } from './mail/sender';
import { ensureFirstAdmin } from './users/service';

export interface RunningApp {
  url: string;
  orm: MikroORM;
  bus: Bus;
  /** The live services: event streams (with their numbers), presence and their settings. */
  realtime: Realtime;
  server: Server;
  /** Set when the first admin got a generated password, so start-up can print it once. */
  firstAdmin: { email: string; generatedPassword?: string } | null;
  /** The open WebSockets per session (closed when their session ends). */
  sessionSockets: SessionSockets;
  /** Delivers the mail outbox; null when SMTP_URL is not set (mail then waits in the outbox). */
  mailSender: MailSender | null;
  close(): Promise<void>;
}

const CLIENT_DIST = resolve(import.meta.dirname, '../dist/client');

// Scripts only from our own origin (no inline script, no eval); inline styles stay allowed because the component
// library positions popovers with style attributes. No framing at all, no MIME sniffing, no referrer to others.
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; object-src 'none'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

function originAllowed(req: IncomingMessage, config: AppConfig): boolean {
  const origin = req.headers.origin;
  // Browsers always send Origin on a WebSocket upgrade; a client without one is not a browser page to protect.
  if (!origin) return true;
  if (config.allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * Opens the database (migrating it), prepares the first admin and demo data, and starts serving.
 * `realtime` overrides the live limits and timings (tests use short ones).
 */
export async function startApp(
  config: AppConfig,
  options: { realtime?: Partial<RealtimeSettings> } = {},
): Promise<RunningApp> {
  const orm = await openDatabase(config.database);
  const bus: Bus = new InProcessBus();
  attachBus(orm.em as EntityManager, bus);
  const realtime = createRealtime(bus, options.realtime);

  // Accounts: session limits, sign-in throttling, set-password links, and the sockets of each session, which
  // close a little after their session ends (session-sockets.ts: once the live subscriptions have re-checked it).
  let listeningUrl = '';
  const publicUrl = () => config.publicUrl ?? listeningUrl;
  const sessionSockets = new SessionSockets(realtime.settings.sessionCheckMs + 1_000);
  const mail = { ...DEFAULT_MAIL_SETTINGS, ...config.mail };
  attachAccounts(orm.em as EntityManager, {
    sessions: config.sessions ?? DEFAULT_SESSION_SETTINGS,
    passwordLinkTtlMs: config.passwordLinkTtlMs ?? DEFAULT_PASSWORD_LINK_TTL_MS,
    throttle: new LoginThrottle(new MemoryAttemptCounter(), config.throttle ?? DEFAULT_THROTTLE_SETTINGS),
    sockets: sessionSockets,
    mailConfigured: Boolean(mail.smtpUrl),
    publicUrl,
  });
  // E-mail notifications are queued in the same transaction as the change they tell about.
  addEventHook(orm.em as EntityManager, notifyClients(publicUrl));
  const mailSender = mail.smtpUrl ? new MailSender(orm, { ...mail, smtpUrl: mail.smtpUrl }) : null;
  const stopWakingMail = mailSender ? bus.subscribe(() => mailSender.wake()) : () => {};

  const setupEm = orm.em.fork() as EntityManager;
  const firstAdmin = await ensureFirstAdmin(setupEm, config);
  if (config.seedDemo && (await setupEm.count(Client, {})) === 0) {
    await seedDemo(orm.em.fork() as EntityManager, SYSTEM_ACTOR);
  }
  await refreshQueryStatistics(orm.em.fork() as EntityManager);

  const app = express();
  app.disable('x-powered-by');
  // Behind a proxy, TRUST_PROXY lets it tell the caller's address (X-Forwarded-For: sign-in throttling, the audit
  // log) and that the request came over https (X-Forwarded-Proto: the Secure cookie).
  app.set('trust proxy', config.trustProxy ?? false);
  app.use((req, res, next) => {
    res.set(SECURITY_HEADERS);
    if (req.secure) res.set('Strict-Transport-Security', 'max-age=31536000');
    next();
  });
  app.get('/healthz', async (_req, res) => {
    try {
      await (orm.em.fork() as EntityManager).execute('select 1');
      res.json({ status: 'ok' });
    } catch (error) {
      res.status(503).json({ status: 'unavailable', reason: error instanceof Error ? error.message : String(error) });
    }
  });
  app.use('/api/files', fileRoutes(orm));
  app.use('/api', clientCsvRoutes(orm));
  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      createContext: httpContextFactory(orm, config, realtime),
      onError: logServerError,
      // As for a WebSocket message (maxPayload below): a bigger call is refused with 413 before it is parsed.
      maxBodySize: 1024 * 1024,
    }),
  );
  if (existsSync(resolve(CLIENT_DIST, 'index.html'))) {
    app.use(express.static(CLIENT_DIST, { index: false, maxAge: '1h' }));
    app.get('/{*splat}', (_req, res) => res.sendFile(resolve(CLIENT_DIST, 'index.html')));
  } else {
    app.get('/', (_req, res) =>
      res.type('text').send('The client is not built: run `npm run build` (npm start does it for you).'),
    );
  }
  // Our own 404, so an unknown address carries the same security headers as every other answer.
  app.use((_req, res) => {
    res.status(404).type('text').send('Not found');
  });

  const server = createServer(app);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const wsHandler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: wsContextFactory(orm, config, realtime),
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
    onError: logServerError,
  });
  wss.on('connection', (ws, req: AuthenticatedUpgrade) => {
    if (req.kartoteka) sessionSockets.track(req.kartoteka.user.id, req.kartoteka.token, ws);
  });
  server.on('upgrade', (req: AuthenticatedUpgrade, socket, head) => {
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/trpc') return refuse('404 Not Found');
    if (!originAllowed(req, config)) return refuse('403 Forbidden');
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    userForToken(orm.em.fork() as EntityManager, token).then(
      (user) => {
        if (!user || !token) return refuse('401 Unauthorized');
        req.kartoteka = { user, token, address: req.socket.remoteAddress ?? null };
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      },
      () => refuse('503 Service Unavailable'),
    );
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  listeningUrl = `http://${host}:${port}`;
  mailSender?.start();

  let closing: Promise<void> | undefined;
  return {
    url: listeningUrl,
    orm,
    bus,
    realtime,
    server,
    firstAdmin,
    sessionSockets,
    mailSender,
    close() {
      closing ??= (async () => {
        sessionSockets.stop();
        stopWakingMail();
        await mailSender?.stop();
        wsHandler.broadcastReconnectNotification();
        for (const client of wss.clients) client.close(1001, 'Server shutting down');
        // A peer that stopped reading never completes the closing handshake: do not wait ws's 30 s for it.
        const stuck = setTimeout(() => {
          for (const client of wss.clients) client.terminate();
        }, 1_000);
        await new Promise<void>((done) => wss.close(() => done()));
        clearTimeout(stuck);
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
        await realtime.close();
        await orm.close();
      })();
      return closing;
    },
  };
}

function logServerError({
  error,
  path,
}: {
  error: { code: string; cause?: unknown; message: string };
  path?: string;
}): void {
  if (error.code === 'INTERNAL_SERVER_ERROR')
    console.error(`[trpc] ${path ?? '?'} failed:`, error.cause ?? error.message);
}
