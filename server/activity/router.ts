import { z } from 'zod';
import { isCountryCode } from '../../shared/countries';
import { isTimeZone } from '../../shared/time-zone';
import { allowed, router } from '../trpc';
import { clientActivityPerDay, statusChangesPerDay } from './per-day';
import { activityFeed, clientHistory } from './service';
import { EVENT_TYPES } from './write-path';

const id = z.number().int().positive();
const cursor = z.number().int().positive().nullish();
const limit = z.number().int().min(1).max(200).default(50);
// The charts' days run midnight to midnight in the viewer's zone, which the browser names (Intl's timeZone).
const perDay = {
  timeZone: z.string().max(64).refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Warsaw or UTC' }),
  days: z.number().int().min(1).max(366).default(30),
};

export const activityRouter = router({
  // The service hides other clients from portal users and filters each event as the live stream does.
  history: allowed('clients.read')
    .input(z.object({ clientId: id, cursor, limit }))
    .query(({ ctx, input }) => clientHistory(ctx.em, ctx.actor, input)),
  feed: allowed('activity.feed')
    .input(
      z
        .object({
          types: z.array(z.enum(EVENT_TYPES)).min(1).max(EVENT_TYPES.length).default(['client.status']),
          categoryId: id.optional(),
          country: z
            .string()
            .transform((value) => value.toUpperCase())
            .refine(isCountryCode, { error: 'must be a two-letter ISO country code' })
            .optional(),
          cursor,
          limit,
        })
        .default({ types: ['client.status'], limit: 50 }),
    )
    .query(({ ctx, input }) => activityFeed(ctx.em, ctx.actor, input)),
  // The monitor's chart: status changes per day across all clients.
  statusChangesPerDay: allowed('activity.feed')
    .input(z.object(perDay))
    .query(({ ctx, input }) => statusChangesPerDay(ctx.em, input)),
  // The card's chart: one client's events per day, as much as its history shows the caller.
  clientActivityPerDay: allowed('clients.read')
    .input(z.object({ clientId: id, ...perDay }))
    .query(({ ctx, input }) => clientActivityPerDay(ctx.em, ctx.actor, input)),
});
