import { z } from 'zod';
import { allowed, router } from '../trpc';
import { newPortalLink, portalStatus } from './portal';

const access = allowed('clients.portalAccess');
const clientId = z.number().int().positive('clientId must be a client id (a positive whole number).');

/** A client's portal account, for the Access section of its card (administrators only). */
export const portalRouter = router({
  status: access.input(z.object({ clientId })).query(({ ctx, input }) => portalStatus(ctx.em, input.clientId)),
  /** A new one-time set-password link: e-mailed when SMTP is configured, otherwise answered to hand over. */
  newLink: access
    .input(z.object({ clientId }))
    .mutation(({ ctx, input }) => newPortalLink(ctx.em, ctx.actor, input.clientId, ctx.clientAddress)),
});
