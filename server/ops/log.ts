import { AsyncLocalStorage } from 'node:async_hooks';
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';

export type { Logger } from 'pino';
export type LogLevel = LevelWithSilent;

export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** What every log line written while serving one HTTP request carries. */
export interface RequestScope {
  reqId: string;
  /** Set once the request's session names a signed-in user (see auth/sessions.ts). */
  userId?: number;
}

const requestScope = new AsyncLocalStorage<RequestScope>();

/** Runs the rest of a request inside its scope, so every line logged on its behalf names it. */
export function runInRequestScope<T>(scope: RequestScope, work: () => T): T {
  return requestScope.run(scope, work);
}

/** Names the signed-in user of the request being served now (a no-op outside one: a WebSocket's re-checks). */
export function noteRequestUser(userId: number): void {
  const scope = requestScope.getStore();
  if (scope) scope.userId = userId;
}

/**
 * Nothing secret is ever handed to the logger (request bodies and headers are not logged at all); these paths
 * are the second line of defence, should an error object or a future log call carry one of them.
 */
export const REDACTED_PATHS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'sessionToken',
  'cookie',
  'authorization',
  'headers.cookie',
  'headers.authorization',
  'headers["set-cookie"]',
  'headers["x-kartoteka-csrf"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.sessionToken',
  '*.cookie',
  '*.authorization',
  '*.headers.cookie',
  '*.headers.authorization',
  '*.headers["set-cookie"]',
];

/** A JSON-lines logger at `level`, to stdout unless given another destination (tests read their own). */
export function createLogger(level: LevelWithSilent, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kartoteka' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // The request's id and user on every line logged while serving it, from wherever in the code.
      mixin: () => {
        const scope = requestScope.getStore();
        return scope ? { reqId: scope.reqId, ...(scope.userId === undefined ? {} : { userId: scope.userId }) } : {};
      },
    },
    destination,
  );
}

function initialLevel(env: NodeJS.ProcessEnv): LevelWithSilent {
  const level = env.LOG_LEVEL;
  if (level && isLogLevel(level)) return level;
  // Test runs stay quiet unless LOG_LEVEL asks otherwise; main.ts applies the validated setting at start.
  return env.VITEST ? 'silent' : 'info';
}

/** The process's logger, for code that runs outside a request (the mail sender, imports, start-up). */
export const log: Logger = createLogger(initialLevel(process.env));
