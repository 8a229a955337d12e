import { QueryClientProvider } from '@tanstack/react-query';
import { I18nProvider } from 'react-aria-components';
import { RouterProvider } from 'react-router';
import { AnnouncerProvider } from '../components/announcer';
import { useLocale } from '../lib/i18n';
import { queryClient } from '../lib/trpc';
import { router } from './router';

export function App() {
  const locale = useLocale();
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider locale={locale === 'pl' ? 'pl-PL' : 'en-GB'}>
        <AnnouncerProvider>
          <RouterProvider router={router} />
        </AnnouncerProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
