import { z } from 'zod';
import { publicProcedure, router } from '../trpc';
import { login } from './service';
import { clearedSessionCookie, endSession, sessionCookie } from './sessions';

export const authRouter = router({
  login: publicProcedure
    .input(
      z.object({
        email: z.string().trim().min(1, 'E-mail is required.').max(254),
        password: z.string().min(1, 'Password is required.').max(1000),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      // A new token at every sign-in: a token planted before sign-in is worth nothing after it.
      await endSession(ctx.em, ctx.sessionToken);
      const { user, token, expiresAt } = await login(ctx.em, input.email, input.password);
      ctx.setCookie(sessionCookie(token, expiresAt, ctx.secure));
      return user;
    }),
  logout: publicProcedure.mutation(async ({ ctx }) => {
    await endSession(ctx.em, ctx.sessionToken);
    ctx.setCookie(clearedSessionCookie());
    return { ok: true as const };
  }),
  me: publicProcedure.query(({ ctx }) => ctx.user),
});
