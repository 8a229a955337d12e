import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { can } from '../../shared/permissions';
import { useAnnounce } from '../components/announcer';
import { LocaleSwitch } from '../components/locale-switch';
import { KeyboardShortcuts } from '../components/shortcuts';
import { ThemeSwitch } from '../components/theme-switch';
import { ConnectionStatus } from '../features/live/live-provider';
import { useUser } from '../lib/session';
import { queryClient, trpc } from '../lib/trpc';

export function AppLayout() {
  const { t } = useTranslation();
  const user = useUser();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        queryClient.clear();
        queryClient.setQueryData(trpc.auth.me.queryKey(), null);
        announce(t('auth.signedOut'), 'info');
        navigate('/sign-in');
      },
    }),
  );

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('ui.skipToContent')}
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            K
          </span>
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <nav className="mainnav" aria-label={t('nav.main')}>
          {user.role === 'client' ? (
            <NavLink to="/portal">{t('portal.nav')}</NavLink>
          ) : (
            <NavLink to="/clients">{t('nav.clients')}</NavLink>
          )}
          {can(user.role, 'projects.read') ? <NavLink to="/monitor">{t('nav.monitor')}</NavLink> : null}
          {can(user.role, 'lookups.write') ? <NavLink to="/settings">{t('nav.settings')}</NavLink> : null}
        </nav>
        <div className="topbar-end">
          <ConnectionStatus />
          <LocaleSwitch />
          <ThemeSwitch />
          {user.role === 'client' ? null : <KeyboardShortcuts />}
          <NavLink to="/account" className="user-name" title={t('account.link')}>
            {user.name}
          </NavLink>
          <button type="button" className="btn btn-ghost" onClick={() => logout.mutate()} disabled={logout.isPending}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main className="main" id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
