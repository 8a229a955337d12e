import { z } from 'zod';
import { eventsIn } from '../../shared/live';
import { allowed, router } from '../trpc';
import type { LiveMessage } from './events';
import { liveEvents } from './stream';
import { subscriberFor } from './subscriber';

/** When each event a message carries was written (for the delivery metrics). */
const writtenAt = (message: LiveMessage) => eventsIn(message).map((event) => event.at);

export const liveRouter = router({
  /**
   * The event log as it grows: `tracked(seq, LiveMessage)` in seq order, replayed from `lastEventId` (which tRPC's
   * client sends by itself when it reconnects), then a head marker, then live. Only what the user may see.
   */
  events: allowed('clients.read')
    .input(
      z
        .object({
          lastEventId: z
            .string()
            .regex(/^\d{1,15}$/, 'lastEventId must be the id of an event received earlier (a whole number).')
            .nullish(),
          clientId: z.number().int().positive('clientId must be a client id (a positive whole number).').nullish(),
        })
        .optional(),
    )
    .subscription(({ ctx, input, signal }) =>
      ctx.metrics.observe(
        'events',
        liveEvents({
          orm: ctx.orm,
          wakes: ctx.realtime.wakes,
          log: ctx.realtime.log,
          registry: ctx.realtime.streams,
          subscriber: subscriberFor(ctx, signal),
          settings: ctx.realtime.settings,
          user: ctx.user,
          lastEventId: input?.lastEventId ? Number(input.lastEventId) : null,
          clientId: input?.clientId ?? null,
          sentDirectly: (message) => ctx.metrics.delivered(writtenAt(message)),
        }),
        ([, message]) => (message.kind === 'head' ? 'head' : writtenAt(message)),
      ),
    ),
});
