import { z } from 'zod';
import { AUDIT_TYPES } from '../../shared/audit';
import { allowed, router } from '../trpc';
import { listAudit } from './service';

export const auditRouter = router({
  list: allowed('audit.read')
    .input(
      z
        .object({
          type: z.enum(AUDIT_TYPES).optional(),
          userId: z.number().int().positive().optional(),
          cursor: z.number().int().positive('cursor must be the nextCursor of the previous page.').optional(),
          limit: z.number().int().min(1).max(100, 'limit can be at most 100.').default(50),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => listAudit(ctx.em, input)),
});
