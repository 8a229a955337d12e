import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { type Logger, type RequestScope, runInRequestScope } from './log';
import type { Metrics } from './metrics';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A caller's request id is taken when it looks like one (a proxy's or a load balancer's), else a new one is made. */
const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** Addresses a scraper or a health check calls every few seconds: logged at debug, so they do not drown the rest. */
const ROUTINE = new Set(['/healthz', '/metrics']);

/**
 * A bounded label for the metrics: the matched route's pattern (`/api/files/:id`), the mount point for routers
 * that route by themselves (`/trpc`, whose procedures have their own histogram), or what served it otherwise.
 */
function routeOf(req: Request, res: Response): string {
  if (req.route) return `${req.baseUrl}${String(req.route.path)}`;
  if (req.baseUrl) return req.baseUrl;
  return res.statusCode < 400 ? 'static' : 'unmatched';
}

/**
 * Gives every HTTP request an id (the caller's X-Request-Id, or a new one, sent back in the answer), runs it in
 * a scope so every line logged on its behalf names the id and the signed-in user, and when it ends logs one line
 * (method, path without the query, status, duration) and feeds the latency histogram. Bodies, query strings and
 * headers are never logged: they carry passwords, set-password tokens and session cookies.
 */
export function requestLogging(logger: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const given = req.get(REQUEST_ID_HEADER);
    const scope: RequestScope = { reqId: given && REQUEST_ID.test(given) ? given : randomUUID() };
    res.set(REQUEST_ID_HEADER, scope.reqId);
    // Taken now: routers mounted further on see (and leave) a path relative to their mount point.
    const { method, path } = req;
    const started = process.hrtime.bigint();
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // A connection closed before the answer was complete is logged as such, with the status it would have had.
      const status = res.statusCode;
      const line = {
        reqId: scope.reqId,
        userId: scope.userId,
        method,
        path,
        status,
        durationMs: Math.round(seconds * 10_000) / 10,
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      const level = status >= 500 ? 'error' : ROUTINE.has(path) ? 'debug' : 'info';
      logger[level](line, `${method} ${path} ${status}`);
      metrics.httpDuration.observe({ method, route: routeOf(req, res), status: String(status) }, seconds);
    };
    res.once('finish', done);
    res.once('close', done);
    runInRequestScope(scope, next);
  };
}
