import { authRouter } from './auth/router';
import { clientsRouter } from './clients/router';
import { lookupsRouter } from './lookups/router';
import { router } from './trpc';
import { usersRouter } from './users/router';

export const appRouter = router({
  auth: authRouter,
  clients: clientsRouter,
  lookups: lookupsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
