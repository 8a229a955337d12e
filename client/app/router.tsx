import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Link, Navigate, Outlet, useLocation } from 'react-router';
import { can, type Permission } from '../../shared/permissions';
import { SignInPage } from '../features/auth/sign-in-page';
import { ClientCardPage } from '../features/card/client-card-page';
import { NewClientPage } from '../features/card/new-client-page';
import { ClientListPage } from '../features/clients/client-list-page';
import { LiveProvider } from '../features/live/live-provider';
import { MonitorPage } from '../features/monitor/monitor-page';
import { SettingsPage } from '../features/settings/settings-page';
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
  const user = session.data;
  if (user?.role === 'client' && user.clientId) return <Navigate to={`/clients/${user.clientId}`} replace />;
  return <Navigate to="/clients" replace />;
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

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  {
    element: <RequireSession />,
    children: [
      { index: true, element: <Home /> },
      { path: 'clients', element: <ClientListPage /> },
      {
        element: <RequirePermission permission="clients.write" />,
        children: [{ path: 'clients/new', element: <NewClientPage /> }],
      },
      { path: 'clients/:id', element: <ClientCardPage /> },
      {
        element: <RequirePermission permission="projects.read" />,
        children: [{ path: 'monitor', element: <MonitorPage /> }],
      },
      {
        element: <RequirePermission permission="lookups.write" />,
        children: [{ path: 'settings', element: <SettingsPage /> }],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
