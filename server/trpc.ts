import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { fieldErrorsFrom } from '../shared/field-errors';
import { can, type Permission } from '../shared/permissions';
import type { Actor } from './auth/actor';
import { WrongCredentialsError } from './auth/service';
import { userForToken } from './auth/sessions';
import { TooManyAttemptsError } from './auth/throttle';
import type { Context } from './context';
import { databaseTrouble } from './db/unavailable';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from './errors';
import { transformer } from './live/transformer';

function fieldErrorsOf(cause: unknown): Record<string, string[]> | undefined {
  if (cause instanceof ValidationError) return cause.fieldErrors;
  if (cause instanceof ZodError) return fieldErrorsFrom(cause.issues);
  return undefined;
}

const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter({ shape, error }) {
    const fieldErrors = fieldErrorsOf(error.cause);
    // tRPC's own message for bad input is the issues as JSON; people get "field: reason" instead.
    const message = fieldErrors
      ? Object.entries(fieldErrors)
          .map(([field, messages]) =>
            messages.join(' ').startsWith(field) ? messages.join(' ') : `${field}: ${messages.join(' ')}`,
          )
          .join(' ')
      : error.code === 'INTERNAL_SERVER_ERROR'
        ? // A database that is down or locked (also while reading the session, before any procedure runs) is said so.
          (databaseTrouble(error.cause) ??
          'Something went wrong on the server. Try again; if it keeps happening, tell an administrator.')
        : shape.message;
    // Throttled sign-ins say how long to wait, for the form to show.
    const retryAfter = error.cause instanceof TooManyAttemptsError ? error.cause.retryAfterSeconds : undefined;
    return { ...shape, message, data: { ...shape.data, fieldErrors, retryAfter, stack: undefined } };
  },
});

/** Maps what the services throw onto tRPC's codes. */
function toTRPCError(cause: unknown): TRPCError | undefined {
  if (!(cause instanceof Error)) return undefined;
  if (cause instanceof ValidationError) return new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  if (cause instanceof NotFoundError) return new TRPCError({ code: 'NOT_FOUND', message: cause.message, cause });
  if (cause instanceof ForbiddenError) return new TRPCError({ code: 'FORBIDDEN', message: cause.message, cause });
  if (cause instanceof ConflictError) return new TRPCError({ code: 'CONFLICT', message: cause.message, cause });
  if (cause instanceof WrongCredentialsError)
    return new TRPCError({ code: 'UNAUTHORIZED', message: cause.message, cause });
  if (cause instanceof TooManyAttemptsError)
    return new TRPCError({ code: 'TOO_MANY_REQUESTS', message: cause.message, cause });
  if (cause instanceof OptimisticLockError) {
    return new TRPCError({
      code: 'CONFLICT',
      message: 'Someone else saved this record at the same moment; try again.',
      cause,
    });
  }
  if (cause instanceof DomainError) return new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  return undefined;
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Each query's and mutation's latency by procedure; a subscription's lifetime is no latency, so it is not timed. */
const timed = t.middleware(async ({ ctx, path, type, next }) => {
  if (type === 'subscription') return next();
  const stop = ctx.metrics.trpcDuration.startTimer({ procedure: path, type, transport: ctx.transport });
  const result = await next();
  stop({ outcome: result.ok ? 'ok' : result.error.code });
  return result;
});

/** Every procedure: the CSRF guard for HTTP mutations, an EntityManager fork of its own, and error mapping. */
export const publicProcedure = t.procedure.use(timed).use(async ({ ctx, type, next }) => {
  if (ctx.transport === 'http' && type === 'mutation' && !ctx.csrfOk) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'Missing the x-kartoteka-csrf header: requests must come from the app.',
    });
  }
  const em = ctx.orm.em.fork() as EntityManager;
  // A WebSocket is authenticated once, at the upgrade, and may stay open for hours: each call over it reads
  // its session again, so a sign-out, a role change or a deactivation takes effect on open sockets at once.
  const user = ctx.transport === 'ws' ? await userForToken(em, ctx.sessionToken) : ctx.user;
  const result = await next({ ctx: { em, user } });
  if (!result.ok) {
    const mapped = toTRPCError(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  const actor: Actor = { id: ctx.user.id, name: ctx.user.name, role: ctx.user.role, clientId: ctx.user.clientId };
  return next({ ctx: { user: ctx.user, actor } });
});

/**
 * A procedure for the roles the permission table allows (any of the permissions given); everyone else signed in
 * gets FORBIDDEN.
 */
export function allowed(...permissions: [Permission, ...Permission[]]) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!permissions.some((permission) => can(ctx.actor.role, permission))) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `Your role (${ctx.actor.role}) may not do this (${permissions.join(' or ')}).`,
      });
    }
    return next();
  });
}
