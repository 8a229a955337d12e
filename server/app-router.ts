import { authRouter } from './auth/router';
import { clientsRouter } from './clients/router';
import { lookupsRouter } from './lookups/router';
import { notesRouter } from './notes/router';
import { contractsRouter, projectsRouter } from './projects/router';
import { router } from './trpc';
import { usersRouter } from './users/router';

export const appRouter = router({
  auth: authRouter,
  clients: clientsRouter,
  lookups: lookupsRouter,
  notes: notesRouter,
  projects: projectsRouter,
  contracts: contractsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
