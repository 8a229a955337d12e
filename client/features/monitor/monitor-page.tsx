import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PAGE_SIZES } from '../../../shared/enums';
import { formatDateTime } from '../../lib/format';
import { useLocale } from '../../lib/i18n';
import { queryClient, trpc } from '../../lib/trpc';
import type { LiveEvent } from '../live/cache-rules';
import { followLog } from '../live/live-stream';
import {
  addToFeed,
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

/**
 * Status changes across all clients as they happen. It follows the log from the seq the user last saw (kept in
 * localStorage), so the changes made meanwhile are replayed and counted; a first visit starts at the end of the log.
 */
export function MonitorPage() {
  const { t } = useTranslation();
  const [shown, setShown] = useState<ReadonlySet<FeedType>>(() => new Set(['status']));
  const [feed, setFeed] = useState<LiveEvent[]>([]);
  const [lastSeen, setLastSeen] = useState(() => readLastSeen(localStorage));
  const [latest, setLatest] = useState<number | null>(null);
  const notify = useDesktopNotifications();
  const notifyRef = useRef(notify.show);
  notifyRef.current = notify.show;

  useEffect(() => {
    let replaying = true;
    return followLog({
      after: readLastSeen(localStorage),
      onEvent: (event) => {
        setLatest(event.seq);
        setFeed((current) => addToFeed(current, event));
        if (!replaying && feedTypeOf(event) === 'status') notifyRef.current(event);
      },
      onHead: (seq) => {
        replaying = false;
        setLatest((current) => Math.max(current ?? 0, seq));
      },
      onUnauthorized: () => queryClient.setQueryData(trpc.auth.me.queryKey(), null),
    });
  }, []);

  const markSeen = () => {
    if (latest === null) return;
    writeLastSeen(localStorage, latest);
    setLastSeen(latest);
  };

  const rows = feed.filter((event) => shown.has(feedTypeOf(event) as FeedType));
  const unseen = unseenCount(feed, shown, lastSeen);

  return (
    <div className="page page-monitor">
      <div className="page-head">
        <h1>{t('monitor.title')}</h1>
      </div>
      <StatusCounts />
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
        <p className="monitor-unseen" role="status" aria-live="polite">
          {t('monitor.sinceLastLooked', { count: unseen })}
        </p>
        <button type="button" className="btn" onClick={markSeen} disabled={latest === null}>
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
        {rows.length === 0 ? <p className="empty">{t('monitor.empty')}</p> : null}
        <ol className="monitor-feed" aria-live="polite">
          {rows.map((event) => (
            <FeedRow key={event.seq} event={event} unseen={lastSeen !== null && event.seq > lastSeen} />
          ))}
        </ol>
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

function FeedRow({ event, unseen }: { event: LiveEvent; unseen: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const name = useClientName(event.clientId);
  const feedType = feedTypeOf(event);
  const key = feedType === 'notes' ? 'note' : feedType === 'status' ? 'status' : event.type.slice('client.'.length);
  return (
    <li className={unseen ? 'monitor-row monitor-row-unseen' : 'monitor-row'}>
      <time dateTime={new Date(event.at).toISOString()}>{formatDateTime(event.at, locale)}</time>{' '}
      <Trans
        i18nKey={`monitor.${key}`}
        values={{ actor: event.actorName, client: name, status: statusLabel(t, event) }}
        components={{ client: <Link to={`/clients/${event.clientId}`} /> }}
      />
    </li>
  );
}

function statusLabel(t: TFunction, event: LiveEvent): string {
  const status = event.changes.status?.after;
  return typeof status === 'string' ? t(`status.${status}`) : '';
}

/** The client's name when this user may read the card, else its number. */
function useClientName(id: number): string {
  const { t } = useTranslation();
  const query = useQuery({ ...trpc.clients.get.queryOptions({ id }), retry: false });
  return query.data?.name ?? t('monitor.clientNumber', { id });
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
