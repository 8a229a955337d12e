import { z } from 'zod';
import { STAFF_ROLES } from '../../shared/enums';
import { allowed, router } from '../trpc';
import { createUser, listUsers, updateUser } from './service';

const manage = allowed('users.manage');

export const usersRouter = router({
  list: manage.query(({ ctx }) => listUsers(ctx.em)),
  create: manage
    .input(
      z.object({
        email: z.email('E-mail must be an e-mail address like name@example.com.'),
        name: z.string().trim().min(1, 'Name is required.').max(200),
        role: z.enum(STAFF_ROLES),
        password: z.string().min(10, 'Password must be at least 10 characters.').max(1000),
      }),
    )
    .mutation(({ ctx, input }) => createUser(ctx.em, input)),
  update: manage
    .input(
      z.object({
        id: z.number().int().positive(),
        role: z.enum(STAFF_ROLES).optional(),
        active: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateUser(ctx.em, ctx.actor.id, input)),
});
