import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import compression from 'compression';
import express from 'express';
import { WebSocketServer } from 'ws';
import { addEventHook, attachBus } from './activity/write-path';
import { appRouter } from './app-router';
import { attachAccounts, DEFAULT_PASSWORD_LINK_TTL_MS, DEFAULT_SESSION_SETTINGS } from './auth/accounts';
import { SYSTEM_ACTOR } from './auth/actor';
import { RedisAttemptCounter } from './auth/redis-attempts';
import { SessionSockets } from './auth/session-sockets';
import { readCookie, SESSION_COOKIE, userForToken } from './auth/sessions';
import { DEFAULT_THROTTLE_SETTINGS, LoginThrottle, MemoryAttemptCounter } from './auth/throttle';
import { clientCsvRoutes } from './clients/csv-routes';
import { Client } from './clients/entity';
import { refreshQueryStatistics } from './clients/search';
import { refuseSharedEmails } from './clients/service';
import type { AppConfig } from './config';
import { type AuthenticatedUpgrade, httpContextFactory, wsContextFactory } from './context';
import { seedDemo } from './db/demo-data';
import { onePerDatabase, openDatabase } from './db/orm';
import { fileRoutes } from './files/routes';
import { type Bus, InProcessBus } from './live/bus';
import { createRealtime, DEFAULT_REALTIME_SETTINGS, type Realtime, type RealtimeSettings } from './live/realtime';
import { DEFAULT_REDIS_PREFIX, RedisLink } from './live/redis';
import { RedisBus } from './live/redis-bus';
import { maxSeq } from './live/stream';
import { wsEncoder } from './live/transformer';
import { notifyClients } from './mail/notifications';
import { DEFAULT_MAIL_SETTINGS, MailSender } from './mail/sender';
import { requestLogging } from './ops/http';
import { type Logger, log } from './ops/log';
import { Metrics, metricsRoute, poolUseOf } from './ops/metrics';
import { trpcErrorLogger } from './ops/trpc-errors';
import { RedisPresenceStore } from './presence/redis-store';
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
  /** The Prometheus series served at /metrics. */
  metrics: Metrics;
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
 * `realtime` overrides the live limits and timings (tests use short ones); `logger` replaces the process's
 * logger (tests read what was logged).
 */
export async function startApp(
  config: AppConfig,
  options: { realtime?: Partial<RealtimeSettings>; logger?: Logger } = {},
): Promise<RunningApp> {
  const logger = options.logger ?? log;
  const metrics = new Metrics();
  const orm = await openDatabase(config.database);
  // REDIS_URL: the bus, presence and sign-in counters are shared with the other instances through Redis.
  let redis: RedisLink | null = null;
  if (config.redisUrl) {
    try {
      redis = await RedisLink.connect({ url: config.redisUrl, prefix: config.redisPrefix ?? DEFAULT_REDIS_PREFIX });
    } catch (error) {
      await orm.close(true);
      throw error;
    }
  }
  const bus: Bus = redis ? await RedisBus.create(redis, () => maxSeq(orm)) : new InProcessBus();
  attachBus(orm.em as EntityManager, bus);
  const presenceTtlMs = options.realtime?.presenceTtlMs ?? DEFAULT_REALTIME_SETTINGS.presenceTtlMs;
  const presenceStore = redis ? await RedisPresenceStore.create(redis, presenceTtlMs) : undefined;
  const realtime = createRealtime(bus, options.realtime, presenceStore);

  // Accounts: session limits, sign-in throttling, set-password links, and the sockets of each session, which
  // close a little after their session ends (session-sockets.ts: once the live subscriptions have re-checked it).
  let listeningUrl = '';
  const publicUrl = () => config.publicUrl ?? listeningUrl;
  const sessionSockets = new SessionSockets(realtime.settings.sessionCheckMs + 1_000);
  const mail = { ...DEFAULT_MAIL_SETTINGS, ...config.mail };
  attachAccounts(orm.em as EntityManager, {
    sessions: config.sessions ?? DEFAULT_SESSION_SETTINGS,
    passwordLinkTtlMs: config.passwordLinkTtlMs ?? DEFAULT_PASSWORD_LINK_TTL_MS,
    throttle: new LoginThrottle(
      redis ? new RedisAttemptCounter(redis) : new MemoryAttemptCounter(),
      config.throttle ?? DEFAULT_THROTTLE_SETTINGS,
    ),
    sockets: sessionSockets,
    mailConfigured: Boolean(mail.smtpUrl),
    publicUrl,
  });
  // First, as it may refuse the commit: two saves that each found an e-mail free.
  addEventHook(orm.em as EntityManager, refuseSharedEmails);
  // E-mail notifications are queued in the same transaction as the change they tell about.
  addEventHook(orm.em as EntityManager, notifyClients(publicUrl));
  addEventHook(orm.em as EntityManager, async (_tx, _actor, events) => {
    metrics.eventsAppended.inc(events.length);
  });
  const mailSender = mail.smtpUrl ? new MailSender(orm, { ...mail, smtpUrl: mail.smtpUrl }) : null;
  const stopWakingMail = mailSender ? bus.subscribe(() => mailSender.wake()) : () => {};

  // Instances starting together on one empty database: one creates the admin (and seeds), the others see it done.
  const firstAdmin = await onePerDatabase(orm, async () => {
    const setupEm = orm.em.fork() as EntityManager;
    const created = await ensureFirstAdmin(setupEm, config);
    if (config.seedDemo && (await setupEm.count(Client, {})) === 0) {
      await seedDemo(orm.em.fork() as EntityManager, SYSTEM_ACTOR);
    }
    return created;
  });
  await refreshQueryStatistics(orm.em.fork() as EntityManager);

  const app = express();
  app.disable('x-powered-by');
  // Behind a proxy, TRUST_PROXY lets it tell the caller's address (X-Forwarded-For: sign-in throttling, the audit
  // log) and that the request came over https (X-Forwarded-Proto: the Secure cookie).
  app.set('trust proxy', config.trustProxy ?? false);
  app.use(requestLogging(logger, metrics));
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
  app.get('/metrics', metricsRoute(metrics, config.metricsToken));
  app.use('/api/files', fileRoutes(orm));
  app.use('/api', clientCsvRoutes(orm));
  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      createContext: httpContextFactory(orm, config, realtime, metrics),
      onError: trpcErrorLogger(logger),
      // As for a WebSocket message (maxPayload below): a bigger call is refused with 413 before it is parsed.
      maxBodySize: 1024 * 1024,
    }),
  );
  if (existsSync(resolve(CLIENT_DIST, 'index.html'))) {
    // The built files go out gzipped (about a third of their size: bench/bundle.ts); API answers are left alone.
    app.use(compression(), express.static(CLIENT_DIST, { index: false, maxAge: '1h' }));
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
    createContext: wsContextFactory(orm, config, realtime, metrics),
    experimental_encoder: wsEncoder,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
    onError: trpcErrorLogger(logger),
  });
  wss.on('connection', (ws, req: AuthenticatedUpgrade) => {
    if (req.kartoteka) sessionSockets.track(req.kartoteka.user.id, req.kartoteka.token, ws);
    const opened = Date.now();
    const userId = req.kartoteka?.user.id;
    ws.once('close', (code) => logger.info({ userId, code, durationMs: Date.now() - opened }, 'WebSocket closed'));
  });
  metrics.watch({
    websockets: () => wss.clients.size,
    presenceEntries: async () => (await realtime.presence.store.snapshot()).length,
    pool: () => poolUseOf(orm),
  });
  server.on('upgrade', (req: AuthenticatedUpgrade, socket, head) => {
    const refuse = (status: string) => {
      logger.info({ status: Number.parseInt(status, 10) }, `WebSocket upgrade refused: ${status}`);
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
    metrics,
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
        await redis?.close();
        await orm.close();
      })();
      return closing;
    },
  };
}
