import { activityRouter } from './activity/router';
import { auditRouter } from './audit/router';
import { authRouter } from './auth/router';
import { clientsRouter } from './clients/router';
import { filesRouter } from './files/router';
import { liveRouter } from './live/router';
import { lookupsRouter } from './lookups/router';
import { mailRouter } from './mail/router';
import { notesRouter } from './notes/router';
import { presenceRouter } from './presence/router';
import { contractsRouter, projectsRouter } from './projects/router';
import { router } from './trpc';
import { portalRouter } from './users/portal-router';
import { usersRouter } from './users/router';
import { viewsRouter } from './views/router';

export const appRouter = router({
  activity: activityRouter,
  auth: authRouter,
  clients: clientsRouter,
  lookups: lookupsRouter,
  notes: notesRouter,
  files: filesRouter,
  projects: projectsRouter,
  contracts: contractsRouter,
  users: usersRouter,
  portal: portalRouter,
  audit: auditRouter,
  mail: mailRouter,
  views: viewsRouter,
  live: liveRouter,
  presence: presenceRouter,
});

export type AppRouter = typeof appRouter;
