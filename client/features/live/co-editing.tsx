import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldLabel } from '../../../shared/messages';
import { useLocale } from '../../lib/i18n';
import type { LiveEvent } from './cache-rules';
import { onLiveEvent } from './live-stream';
import type { CardViewer } from './presence';
import { useValueText } from './value-text';

/** Someone else's saved change to one field of the open card. */
export interface RemoteChange {
  name: string;
  value: unknown;
  /** The field held unsaved edits of this user when the change came: their value is shown, not applied. */
  whileEditing: boolean;
}

const HINT_SHOWN_MS = 15_000;
const EDITING_HINT_SHOWN_MS = 120_000;

interface CardLive {
  changes: Partial<Record<string, RemoteChange>>;
  viewers: CardViewer[];
}

const CardLiveContext = createContext<CardLive | null>(null);

export function CardLiveProvider({ value, children }: { value: CardLive; children: ReactNode }) {
  return <CardLiveContext.Provider value={value}>{children}</CardLiveContext.Provider>;
}

/**
 * Others' saved changes to this card, field by field, for a while after they came, and the last status change.
 * `isEditing(field)` says whether this user has unsaved edits in the field right now.
 */
export function useRemoteChanges(clientId: number, myUserId: number, isEditing: (field: string) => boolean) {
  const [changes, setChanges] = useState<Partial<Record<string, RemoteChange>>>({});
  const [statusChange, setStatusChange] = useState<{ name: string; status: string } | null>(null);
  const isEditingNow = useLatest(isEditing);

  useEffect(() => {
    const timers = new Set<number>();
    const stop = onLiveEvent((event: LiveEvent) => {
      if (event.clientId !== clientId || !event.type.startsWith('client.') || event.actorId === myUserId) return;
      const status = event.changes.status?.after;
      if (typeof status === 'string') setStatusChange({ name: event.actorName, status });
      for (const [field, change] of Object.entries(event.changes)) {
        if (field === 'status') continue;
        const hint = { name: event.actorName, value: change.after, whileEditing: isEditingNow.current(field) };
        setChanges((current) => ({ ...current, [field]: hint }));
        const timer = window.setTimeout(
          () => {
            timers.delete(timer);
            setChanges((current) => (current[field] === hint ? { ...current, [field]: undefined } : current));
          },
          hint.whileEditing ? EDITING_HINT_SHOWN_MS : HINT_SHOWN_MS,
        );
        timers.add(timer);
      }
    });
    return () => {
      stop();
      for (const timer of timers) window.clearTimeout(timer);
    };
  }, [clientId, myUserId, isEditingNow]);

  return { changes, statusChange, dismissStatusChange: () => setStatusChange(null) };
}

function useLatest<T>(value: T): { current: T } {
  const [ref] = useState(() => ({ current: value }));
  ref.current = value;
  return ref;
}

/** Under a card field: "Changed by Anna" (with their value when it did not replace yours), "Anna is editing …". */
export function FieldHint({ field }: { field: string }) {
  const live = useContext(CardLiveContext);
  const { t } = useTranslation();
  const locale = useLocale();
  const valueText = useValueText();
  if (!live) return null;
  const change = live.changes[field];
  const editors = live.viewers.filter((viewer) => viewer.field === field);
  if (!change && editors.length === 0) return null;
  return (
    <div className="field-live" aria-live="polite">
      {change ? (
        <p className={change.whileEditing ? 'field-live-conflict' : 'field-live-change'}>
          {change.whileEditing
            ? t('live.changedByTheirs', { name: change.name, value: valueText(change.value) })
            : t('live.changedBy', { name: change.name })}
        </p>
      ) : null}
      {editors.map((viewer) => (
        <p key={viewer.tabId} className="field-live-editing">
          {t('live.isEditing', { name: viewer.name, field: fieldLabel(field, locale) })}
        </p>
      ))}
    </div>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase() || '?';
}

/** The others on this card, as initials; each says who it is and which field they edit. */
export function CardViewers({ viewers }: { viewers: CardViewer[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  // Always rendered, so screen readers hear (politely) who comes and goes; a region that appears is often missed.
  const names = [...new Set(viewers.map((viewer) => viewer.name))].join(', ');
  const live = (
    <p className="visually-hidden" aria-live="polite">
      {names ? t('live.alsoHere', { names }) : ''}
    </p>
  );
  if (viewers.length === 0) return live;
  return (
    <>
      {live}
      <ul className="card-viewers" aria-label={t('live.viewers')}>
        {viewers.map((viewer) => {
          const name = viewer.field
            ? t('live.viewerEditing', { name: viewer.name, field: fieldLabel(viewer.field, locale) })
            : t('live.viewer', { name: viewer.name });
          return (
            <li key={viewer.tabId}>
              <span className="card-viewer" role="img" aria-label={name} title={name}>
                {initials(viewer.name)}
              </span>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** "Anna set the status to Inactive": shown on the card until dismissed. */
export function StatusChangeNotice({
  change,
  onDismiss,
}: {
  change: { name: string; status: string } | null;
  onDismiss: () => void;
}) {
  const { t } = useTranslation();
  if (!change) return null;
  return (
    <div className="notice notice-live" role="status">
      <p>{t('live.statusChanged', { name: change.name, status: t(`status.${change.status}`) })}</p>
      <button type="button" className="btn btn-ghost" onClick={onDismiss}>
        {t('live.dismiss')}
      </button>
    </div>
  );
}
