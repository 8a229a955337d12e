import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Link, Navigate, Outlet, useLocation } from 'react-router';
import { can, type Permission } from '../../shared/permissions';
import { SignInPage } from '../features/auth/sign-in-page';
import { ClientListPage } from '../features/clients/client-list-page';
import { LiveProvider } from '../features/live/live-provider';
import { useSession } from '../lib/session';
import { AppLayout } from './layout';

function RequireSession() {
  const session = useSession();
  const location = useLocation();
  const { t } = useTranslation();
  if (session.isPending) return <p className="page-loading">{t('common.loading')}</p>;
  if (!session.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <LiveProvider>
      <AppLayout />
    </LiveProvider>
  );
}

function RequirePermission({ permission }: { permission: Permission }) {
  const session = useSession();
  const { t } = useTranslation();
  if (!session.data || !can(session.data.role, permission)) {
    return (
      <div className="page">
        <p role="alert">{t('common.forbidden')}</p>
      </div>
    );
  }
  return <Outlet />;
}

function Home() {
  const session = useSession();
  if (session.data?.role === 'client') return <Navigate to="/portal" replace />;
  return <Navigate to="/clients" replace />;
}

/** The staff screens (list, cards, monitor): a portal client has its own view of its card instead. */
function StaffOnly() {
  const session = useSession();
  if (session.data?.role === 'client') return <Navigate to="/portal" replace />;
  return <Outlet />;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t('notFound.title')}</h1>
      <Link to="/clients">{t('notFound.back')}</Link>
    </div>
  );
}

// The sign-in page and the list (the first screen) come with the app; every other page loads when first visited,
// so the first screen downloads only what it shows (bench/bundle.ts measures it).
export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  {
    path: '/set-password',
    lazy: async () => ({ Component: (await import('../features/auth/set-password-page')).SetPasswordPage }),
  },
  {
    element: <RequireSession />,
    children: [
      { index: true, element: <Home /> },
      {
        path: 'account',
        lazy: async () => ({ Component: (await import('../features/auth/account-page')).AccountPage }),
      },
      {
        element: <RequirePermission permission="clients.writeOwn" />,
        children: [
          {
            path: 'portal',
            lazy: async () => ({ Component: (await import('../features/portal/portal-page')).PortalPage }),
          },
        ],
      },
      {
        element: <StaffOnly />,
        children: [
          { path: 'clients', element: <ClientListPage /> },
          {
            element: <RequirePermission permission="clients.write" />,
            children: [
              {
                path: 'clients/new',
                lazy: async () => ({ Component: (await import('../features/card/new-client-page')).NewClientPage }),
              },
            ],
          },
          {
            element: <RequirePermission permission="clients.bulk" />,
            children: [
              {
                path: 'clients/import',
                lazy: async () => ({ Component: (await import('../features/import/import-page')).ImportPage }),
              },
            ],
          },
          {
            path: 'clients/:id',
            lazy: async () => ({ Component: (await import('../features/card/client-card-page')).ClientCardPage }),
          },
          {
            element: <RequirePermission permission="projects.read" />,
            children: [
              {
                path: 'monitor',
                lazy: async () => ({ Component: (await import('../features/monitor/monitor-page')).MonitorPage }),
              },
            ],
          },
          {
            path: 'settings',
            lazy: async () => ({ Component: (await import('../features/settings/settings-page')).SettingsLayout }),
            children: [
              {
                element: <RequirePermission permission="lookups.write" />,
                children: [
                  {
                    index: true,
                    lazy: async () => ({
                      Component: (await import('../features/settings/settings-page')).SettingsPage,
                    }),
                  },
                ],
              },
              {
                element: <RequirePermission permission="users.manage" />,
                children: [
                  {
                    path: 'users',
                    lazy: async () => ({ Component: (await import('../features/users/users-page')).UsersPage }),
                  },
                ],
              },
              {
                element: <RequirePermission permission="audit.read" />,
                children: [
                  {
                    path: 'audit',
                    lazy: async () => ({ Component: (await import('../features/users/audit-page')).AuditPage }),
                  },
                ],
              },
              {
                element: <RequirePermission permission="mail.read" />,
                children: [
                  {
                    path: 'outbox',
                    lazy: async () => ({ Component: (await import('../features/users/outbox-page')).OutboxPage }),
                  },
                ],
              },
            ],
          },
        ],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
