import { z } from 'zod';
import { STAFF_ROLES } from '../../shared/enums';
import { allowed, router } from '../trpc';
import { inviteUser, listUsers, resetPassword, updateUser } from './service';

const manage = allowed('users.manage');
const id = z.number().int().positive();

export const usersRouter = router({
  list: manage.query(({ ctx }) => listUsers(ctx.em)),
  /** A staff account; without `password` it gets a one-time set-password link (e-mailed, or answered to hand over). */
  create: manage
    .input(
      z.object({
        email: z.email('E-mail must be an e-mail address like name@example.com.').max(254),
        name: z.string().trim().min(1, 'Name is required.').max(200, 'Name can be at most 200 characters.'),
        role: z.enum(STAFF_ROLES, { error: `Role must be one of: ${STAFF_ROLES.join(', ')}.` }),
        password: z.string().max(1000, 'Password can be at most 1000 characters.').optional(),
      }),
    )
    .mutation(({ ctx, input }) => inviteUser(ctx.em, ctx.actor, input, ctx.clientAddress)),
  update: manage
    .input(
      z.object({
        id,
        role: z.enum(STAFF_ROLES, { error: `Role must be one of: ${STAFF_ROLES.join(', ')}.` }).optional(),
        active: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateUser(ctx.em, ctx.actor, input, ctx.clientAddress)),
  /** A new one-time set-password link for the account; older links stop working. */
  resetPassword: manage
    .input(z.object({ id }))
    .mutation(({ ctx, input }) => resetPassword(ctx.em, ctx.actor, input.id, ctx.clientAddress)),
});
