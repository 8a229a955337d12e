import { z } from 'zod';
import { isCountryCode } from '../../shared/countries';
import { allowed, router } from '../trpc';
import { activityFeed, clientHistory } from './service';
import { EVENT_TYPES } from './write-path';

const id = z.number().int().positive();
const cursor = z.number().int().positive().nullish();
const limit = z.number().int().min(1).max(200).default(50);

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
});
