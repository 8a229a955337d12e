import { z } from 'zod';
import { authedProcedure, publicProcedure, router } from '../trpc';
import { describePasswordLink, setPasswordWithLink } from './password-links';
import { login, logoutEverywhere } from './service';
import { clearedSessionCookie, endSession, sessionCookie } from './sessions';

// A link's token is 43 characters; anything else is simply not a working link, said the same way as a used one.
const token = z.string().max(200, 'token is not a set-password link token.');

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
      const { user, token, expiresAt } = await login(ctx.em, { ...input, address: ctx.clientAddress });
      ctx.setCookie(sessionCookie(token, expiresAt, ctx.secure));
      return user;
    }),
  logout: publicProcedure.mutation(async ({ ctx }) => {
    await endSession(ctx.em, ctx.sessionToken);
    ctx.setCookie(clearedSessionCookie());
    return { ok: true as const };
  }),
  /** Ends every session of the signed-in user, on every device, this one included. */
  logoutEverywhere: authedProcedure.mutation(async ({ ctx }) => {
    await logoutEverywhere(ctx.em, ctx.user, ctx.clientAddress);
    ctx.setCookie(clearedSessionCookie());
    return { ok: true as const };
  }),
  me: publicProcedure.query(({ ctx }) => ctx.user),
  /** Whose account a set-password link is for, so the page can say so (and tell a dead link before any typing). */
  passwordLink: publicProcedure
    .input(z.object({ token }))
    .query(({ ctx, input }) => describePasswordLink(ctx.em, input.token)),
  /** Sets the password through a one-time link (an invitation, a reset or a new portal account). */
  setPassword: publicProcedure
    .input(z.object({ token, password: z.string().max(1000, 'Password can be at most 1000 characters.') }))
    .mutation(({ ctx, input }) =>
      setPasswordWithLink(ctx.em, { token: input.token, password: input.password, address: ctx.clientAddress }),
    ),
});
