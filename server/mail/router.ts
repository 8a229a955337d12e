import { z } from 'zod';
import { allowed, router } from '../trpc';
import { MAIL_STATUSES } from './entity';
import { listOutbox } from './outbox';

export const mailRouter = router({
  /** The outbox for administrators: what waits, what was sent, what failed and why; and whether SMTP is set up. */
  outbox: allowed('mail.read')
    .input(
      z
        .object({
          status: z.enum(MAIL_STATUSES).optional(),
          cursor: z.number().int().positive('cursor must be the nextCursor of the previous page.').optional(),
          limit: z.number().int().min(1).max(100, 'limit can be at most 100.').default(50),
        })
        .default({ limit: 50 }),
    )
    .query(async ({ ctx, input }) => ({
      smtpConfigured: Boolean(ctx.config.mail?.smtpUrl),
      ...(await listOutbox(ctx.em, input)),
    })),
});
