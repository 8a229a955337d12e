import { z } from 'zod';
import { getClient } from '../clients/service';
import { subscriberFor } from '../live/subscriber';
import { allowed, router } from '../trpc';

const clientId = z.number().int().positive('clientId must be a client id (a positive whole number).');
const tabId = z.string().regex(/^[\w-]{1,64}$/, 'tabId must be 1 to 64 letters, digits, "-" or "_".');
const field = z
  .string()
  .regex(/^[A-Za-z][\w.-]{0,63}$/, 'field must be the name of a card field, such as companyName.')
  .nullish()
  .transform((value) => value ?? null);

// Everyone who reads clients takes part; which card and which viewers each may see is decided in the service.
const present = allowed('clients.read');

export const presenceRouter = router({
  /** Snapshots of who is on one card (`clientId`) or on every card; the tab's entry goes when this ends. */
  watch: present
    .input(z.object({ clientId: clientId.nullish(), tabId }))
    .subscription(async ({ ctx, input, signal }) => {
      const subscriber = subscriberFor(ctx, signal);
      if (input.clientId) await getClient(ctx.em, ctx.actor, input.clientId);
      return ctx.metrics.observe(
        'presence',
        ctx.realtime.presence.watch({
          subscriber,
          user: ctx.user,
          clientId: input.clientId ?? null,
          tabId: input.tabId,
        }),
      );
    }),
  /** The tab's heartbeat (about every 10 s) and its moves between fields; `clientId: null` leaves the card. */
  set: present
    .input(z.object({ clientId: clientId.nullable(), tabId, field }))
    .mutation(({ ctx, input }) => ctx.realtime.presence.set(ctx.em, ctx.actor, input)),
  leave: present
    .input(z.object({ tabId }))
    .mutation(({ ctx, input }) => ctx.realtime.presence.leave(ctx.actor, input.tabId)),
});
