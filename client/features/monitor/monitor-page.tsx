import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { countryName } from '../../../shared/countries';
import { PAGE_SIZES } from '../../../shared/enums';
import { SearchableSelect } from '../../components/combo-box';
import { countryOptions } from '../../components/options';
import { LoadError, Skeleton } from '../../components/skeleton';
import { formatDateTime } from '../../lib/format';
import { useLocale } from '../../lib/i18n';
import { useCategories } from '../../lib/lookups';
import { queryClient, type RouterOutputs, trpc } from '../../lib/trpc';
import type { LiveEvent } from '../live/cache-rules';
import { onLiveEvent } from '../live/live-stream';
import { MonitorCharts } from './monitor-charts';
import {
  eventTypesOf,
  FEED_TYPES,
  type FeedType,
  feedTypeOf,
  readLastSeen,
  unseenCount,
  writeLastSeen,
} from './monitor-feed';

const TYPE_LABEL: Record<FeedType, string> = {
  status: 'monitor.typeStatus',
  created: 'monitor.typeCreated',
  deleted: 'monitor.typeDeleted',
  notes: 'monitor.typeNotes',
};

type FeedItem = RouterOutputs['activity']['feed']['items'][number];

// A burst of changes (a bulk status change) refetches the feed once.
const REFETCH_DELAY_MS = 300;

/**
 * Status changes (and, by choice, other changes) across all clients, newest first, from activity.feed, which
 * knows each client's name, category and country. The app's one live stream says when something the feed shows
 * happened, and the feed refetches: after a reconnect the stream replays what was missed, so nothing is lost.
 */
export function MonitorPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [shown, setShown] = useState<ReadonlySet<FeedType>>(() => new Set(['status']));
  const [categoryId, setCategoryId] = useState<number | undefined>();
  const [country, setCountry] = useState<string | null>(null);
  const [lastSeen, setLastSeen] = useState(() => readLastSeen(localStorage));
  const categories = useCategories();
  const countries = useMemo(() => countryOptions(locale), [locale]);
  const notify = useDesktopNotifications();
  const notifyRef = useRef(notify.show);
  notifyRef.current = notify.show;

  const types = eventTypesOf(shown);
  const feed = useInfiniteQuery({
    ...trpc.activity.feed.infiniteQueryOptions(
      { types, categoryId, country: country ?? undefined, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
    enabled: types.length > 0,
  });

  useEffect(() => {
    let timer: number | undefined;
    const stop = onLiveEvent((event) => {
      const type = feedTypeOf(event);
      if (!type) return;
      if (type === 'status' && document.hidden) notifyRef.current(event);
      window.clearTimeout(timer);
      timer = window.setTimeout(
        () => void queryClient.invalidateQueries({ queryKey: trpc.activity.feed.pathKey() }),
        REFETCH_DELAY_MS,
      );
    });
    return () => {
      stop();
      window.clearTimeout(timer);
    };
  }, []);

  const rows = types.length > 0 ? (feed.data?.pages.flatMap((page) => page.items) ?? []) : [];
  const latest = rows[0]?.seq ?? null;
  const markSeen = () => {
    if (latest === null) return;
    writeLastSeen(localStorage, latest);
    setLastSeen(latest);
  };
  // A first visit starts counting from what is there now.
  useEffect(() => {
    if (lastSeen === null && latest !== null) {
      writeLastSeen(localStorage, latest);
      setLastSeen(latest);
    }
  }, [lastSeen, latest]);
  const unseen = unseenCount(rows, lastSeen);

  return (
    <div className="page page-monitor">
      <div className="page-head">
        <h1>{t('monitor.title')}</h1>
      </div>
      <StatusCounts />
      <MonitorCharts />
      <div className="monitor-bar">
        <fieldset className="monitor-types">
          <legend>{t('monitor.show')}</legend>
          {FEED_TYPES.map((type) => (
            <label key={type} className="checkbox">
              <input
                type="checkbox"
                checked={shown.has(type)}
                onChange={(event) =>
                  setShown((current) => {
                    const next = new Set(current);
                    if (event.target.checked) next.add(type);
                    else next.delete(type);
                    return next;
                  })
                }
              />
              {t(TYPE_LABEL[type])}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="monitor-category">{t('monitor.category')}</label>
          <select
            id="monitor-category"
            value={categoryId ?? ''}
            onChange={(event) => setCategoryId(event.target.value ? Number(event.target.value) : undefined)}
          >
            <option value="">{t('common.any')}</option>
            {(categories.data ?? []).map((category) => (
              <option key={category.id} value={category.id}>
                {category.name}
              </option>
            ))}
          </select>
        </div>
        <SearchableSelect
          label={t('monitor.country')}
          options={countries}
          value={country}
          onChange={setCountry}
          placeholder={t('common.any')}
        />
        <p className="monitor-unseen" role="status" aria-live="polite">
          {t('monitor.sinceLastLooked', { count: unseen })}
        </p>
        <button type="button" className="btn" onClick={markSeen} disabled={latest === null || unseen === 0}>
          {t('monitor.markSeen')}
        </button>
        {notify.state === 'default' ? (
          <button type="button" className="btn btn-ghost" onClick={notify.enable}>
            {t('monitor.notifyEnable')}
          </button>
        ) : notify.state === 'granted' ? (
          <p className="hint">{t('monitor.notifyOn')}</p>
        ) : notify.state === 'denied' ? (
          <p className="hint">{t('monitor.notifyDenied')}</p>
        ) : null}
      </div>
      <section aria-labelledby="monitor-feed">
        <h2 id="monitor-feed">{t('monitor.feed')}</h2>
        {feed.isError ? <LoadError error={feed.error} onRetry={() => void feed.refetch()} /> : null}
        {feed.isPending ? <Skeleton lines={6} /> : null}
        {rows.length === 0 && feed.isSuccess ? <p className="empty">{t('monitor.empty')}</p> : null}
        <ol className="monitor-feed" aria-live="polite">
          {rows.map((item) => (
            <FeedRow key={item.seq} item={item} unseen={lastSeen !== null && item.seq > lastSeen} />
          ))}
        </ol>
        {feed.hasNextPage ? (
          <button
            type="button"
            className="btn"
            disabled={feed.isFetchingNextPage}
            onClick={() => void feed.fetchNextPage()}
          >
            {t('monitor.more')}
          </button>
        ) : null}
      </section>
    </div>
  );
}

function StatusCounts() {
  const { t } = useTranslation();
  // clients.list queries are refetched by the app's live stream when a status changes or a client comes or goes.
  const active = useQuery(trpc.clients.list.queryOptions({ status: 'active', pageSize: PAGE_SIZES[0] }));
  const inactive = useQuery(trpc.clients.list.queryOptions({ status: 'inactive', pageSize: PAGE_SIZES[0] }));
  return (
    <section aria-labelledby="monitor-counts">
      <h2 id="monitor-counts">{t('monitor.counts')}</h2>
      <dl className="monitor-counts" aria-live="polite">
        <div>
          <dt>{t('status.active')}</dt>
          <dd>{active.data?.total ?? '…'}</dd>
        </div>
        <div>
          <dt>{t('status.inactive')}</dt>
          <dd>{inactive.data?.total ?? '…'}</dd>
        </div>
      </dl>
    </section>
  );
}

function FeedRow({ item, unseen }: { item: FeedItem; unseen: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const feedType = feedTypeOf(item);
  const key = feedType === 'notes' ? 'note' : feedType === 'status' ? 'status' : item.type.slice('client.'.length);
  const where = [item.client.categoryName, item.client.country ? countryName(item.client.country, locale) : null]
    .filter(Boolean)
    .join(' · ');
  return (
    <li className={unseen ? 'monitor-row monitor-row-unseen' : 'monitor-row'}>
      <time dateTime={new Date(item.at).toISOString()}>{formatDateTime(item.at, locale)}</time>{' '}
      <Trans
        i18nKey={`monitor.${key}`}
        values={{ actor: item.actorName, client: item.client.name, status: statusLabel(t, item) }}
        components={{ client: <Link to={`/clients/${item.clientId}`} /> }}
      />
      {where ? <span className="hint"> ({where})</span> : null}
    </li>
  );
}

function statusLabel(t: TFunction, event: Pick<LiveEvent, 'changes'>): string {
  const status = event.changes.status?.after;
  return typeof status === 'string' ? t(`status.${status}`) : '';
}

type NotifyState = NotificationPermission | 'unsupported';

/** Opt-in desktop notifications for status changes that arrive while the page is open. */
function useDesktopNotifications() {
  const { t } = useTranslation();
  const supported = typeof Notification !== 'undefined';
  const [state, setState] = useState<NotifyState>(supported ? Notification.permission : 'unsupported');
  const enable = () => void Notification.requestPermission().then(setState);
  const show = (event: LiveEvent) => {
    if (!supported || Notification.permission !== 'granted') return;
    new Notification(t('monitor.title'), {
      body: t('monitor.notificationBody', {
        actor: event.actorName,
        client: t('monitor.clientNumber', { id: event.clientId }),
        status: statusLabel(t, event),
      }),
    });
  };
  return { state, enable, show };
}
