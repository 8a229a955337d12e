import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { EDITABLE_CLIENT_FIELDS } from '../../../shared/client-fields';
import { fieldLabel } from '../../../shared/messages';
import { useAnnounce } from '../../components/announcer';
import { ConfirmDialog } from '../../components/confirm-dialog';
import type { HandedOverLink } from '../../components/link-hand-over';
import { LoadError, Skeleton } from '../../components/skeleton';
import { formatDateTime } from '../../lib/format';
import { useFieldLabel, useLocale } from '../../lib/i18n';
import { useCan, useUser } from '../../lib/session';
import { type ClientDto, type Conflict, errorCode, fieldErrorsOf, queryClient, trpc } from '../../lib/trpc';
import { ClientAvatar, CompanyLogo } from '../files/client-avatar';
import { CardImages } from '../files/image-control';
import type { LiveEvent } from '../live/cache-rules';
import { CardLiveProvider, CardViewers, StatusChangeNotice, useRemoteChanges } from '../live/co-editing';
import { onLiveEvent } from '../live/live-stream';
import { editedFields, takeRemoteValues } from '../live/merge-remote';
import { fieldFocusHandlers, useAnnouncePresence, usePresence } from '../live/presence';
import { PortalAccessSection } from '../portal/access-section';
import { CardPanels } from './card-panels';
import { ClientFormView } from './client-form';
import { ConflictDialog } from './conflict-dialog';
import {
  applyServerErrors,
  type Changes,
  changesBetween,
  emptyValues,
  toFormValues,
  useClientForm,
} from './form-values';

export function ClientCardPage() {
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const { t } = useTranslation();
  if (!Number.isInteger(id) || id <= 0) {
    return (
      <div className="page">
        <p role="alert">{t('common.notFound')}</p>
      </div>
    );
  }
  return <ClientCard key={id} id={id} />;
}

function ClientCard({ id }: { id: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const label = useFieldLabel();
  const can = useCan();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const query = useQuery(trpc.clients.get.queryOptions({ id }));
  const form = useClientForm(emptyValues());
  const baseline = useRef<ClientDto | null>(null);
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // The set-password link of a portal account this page's last save created ("Login allowed" turned on).
  const [portalLink, setPortalLink] = useState<HandedOverLink | null>(null);

  const client = query.data;
  const readOnly = !can('clients.write') || Boolean(client?.deletedAt);
  const me = useUser();
  const [focusedField, setFocusedField] = useState<string | null>(null);
  useAnnouncePresence(id, focusedField);
  const viewers = usePresence(id, me.id).get(id) ?? [];
  const remote = useRemoteChanges(id, me.id, (field) =>
    baseline.current ? editedFields(form.getValues(), baseline.current).has(field as keyof Changes) : false,
  );

  // Take the server's record into the form whenever it changes: all of it when the user has nothing unsaved,
  // else only the fields the user has not edited (see takeRemoteValues).
  const { isDirty } = form.formState;
  useEffect(() => {
    if (!client || baseline.current === client) return;
    if (!baseline.current || !isDirty) {
      baseline.current = client;
      form.reset(toFormValues(client));
    } else baseline.current = takeRemoteValues(form, baseline.current, client);
  }, [client, isDirty, form]);

  const update = useMutation(trpc.clients.update.mutationOptions());
  const remove = useMutation(trpc.clients.delete.mutationOptions());
  const restore = useMutation(trpc.clients.restore.mutationOptions());

  const invalidateList = () => queryClient.invalidateQueries({ queryKey: trpc.clients.list.pathKey() });

  // Someone else saved this card: a toast says who and what; Undo puts their values back when this user may
  // write and has nothing unsaved (a save would replace the form).
  const remoteToast = useRef<(event: LiveEvent) => void>(() => {});
  remoteToast.current = (event) => {
    const fields = Object.keys(event.changes);
    const undoable = fields.filter((field): field is keyof Changes =>
      (EDITABLE_CLIENT_FIELDS as string[]).includes(field),
    );
    const undo: Changes = {};
    for (const field of undoable)
      undo[field] = { base: event.changes[field]?.after, value: event.changes[field]?.before };
    const text = t('ui.remoteChanged', {
      name: event.actorName,
      fields: fields.map((field) => fieldLabel(field, locale)).join(', '),
    });
    const mayUndo = !readOnly && undoable.length > 0 && !form.formState.isDirty;
    announce(
      text,
      'info',
      mayUndo ? { label: t('ui.undo'), run: () => void send(undo).then(() => announce(t('ui.undone'))) } : undefined,
    );
  };
  useEffect(
    () =>
      onLiveEvent((event) => {
        if (event.clientId === id && event.type === 'client.updated' && event.actorId !== me.id) {
          remoteToast.current(event);
        }
      }),
    [id, me.id],
  );

  const send = async (changes: Changes) => {
    setGeneralErrors([]);
    try {
      const result = await update.mutateAsync({
        id,
        changes: changes as Record<string, { base: unknown; value: unknown }>,
      });
      baseline.current = result.client;
      queryClient.setQueryData(trpc.clients.get.queryKey({ id }), result.client);
      form.reset(toFormValues(result.client));
      setConflicts(result.conflicts);
      if (result.portalLink) setPortalLink(result.portalLink);
      if (result.conflicts.length < Object.keys(changes).length) announce(t('card.saved'));
      void invalidateList();
    } catch (error) {
      const fieldErrors = fieldErrorsOf(error);
      if (fieldErrors) setGeneralErrors(applyServerErrors(form, fieldErrors));
      else if (errorCode(error) !== 'UNAUTHORIZED')
        setGeneralErrors([t('common.error', { message: (error as Error).message })]);
    }
  };

  const save = form.handleSubmit(async (record) => {
    const base = baseline.current;
    if (!base) return;
    const changes = changesBetween(record, base);
    if (Object.keys(changes).length === 0) {
      announce(t('card.nothingChanged'), 'info');
      return;
    }
    await send(changes);
  });

  const chooseMine = (fields: string[]) => {
    const changes: Changes = {};
    for (const conflict of conflicts.filter(({ field }) => fields.includes(field))) {
      changes[conflict.field as keyof Changes] = { base: conflict.theirs, value: conflict.yours };
    }
    void send(changes);
  };

  if (query.isPending) {
    return (
      <div className="page page-card">
        <Skeleton variant="card" lines={8} />
      </div>
    );
  }
  if (query.isError && errorCode(query.error) !== 'NOT_FOUND') {
    return (
      <div className="page">
        <LoadError error={query.error} onRetry={() => void query.refetch()} />
        <Link to="/clients">{t('card.backToList')}</Link>
      </div>
    );
  }
  if (query.isError || !client) {
    return (
      <div className="page">
        <p role="alert" className="form-alert">
          {errorCode(query.error) === 'NOT_FOUND'
            ? t('common.notFound')
            : t('common.error', { message: query.error?.message ?? '' })}
        </p>
        <Link to="/clients">{t('card.backToList')}</Link>
      </div>
    );
  }

  return (
    <div className="page page-card">
      <Link to="/clients" className="back">
        ← {t('card.backToList')}
      </Link>
      <div className="page-head">
        <div className="card-title">
          <ClientAvatar
            name={client.name}
            photoFileId={client.photoFileId}
            large
            alt={t('files.photoOf', { name: client.name })}
          />
          <div>
            <h1>{client.name}</h1>
            {client.companyName || client.logoFileId !== null ? (
              <p className="sub company-line">
                <CompanyLogo logoFileId={client.logoFileId} companyName={client.companyName} />
                {client.companyName}
              </p>
            ) : null}
          </div>
          <span className={`badge badge-${client.status}`}>{t(`status.${client.status}`)}</span>
          <CardViewers viewers={viewers} />
        </div>
        <dl className="meta">
          <div>
            <dt>{label('createdAt')}</dt>
            <dd>{formatDateTime(client.createdAt, locale)}</dd>
          </div>
          <div>
            <dt>{label('addedBy')}</dt>
            <dd>{client.addedBy?.name ?? t('card.unknownUser')}</dd>
          </div>
          <div>
            <dt>{t('card.updatedAt')}</dt>
            <dd>{formatDateTime(client.updatedAt, locale)}</dd>
          </div>
        </dl>
      </div>
      {client.deletedAt ? (
        <div className="notice notice-warn">
          <p>{t('card.deletedNotice', { date: formatDateTime(client.deletedAt, locale) })}</p>
          {can('clients.delete') ? (
            <button
              type="button"
              className="btn"
              disabled={restore.isPending}
              onClick={() =>
                restore.mutate(
                  { ids: [id] },
                  {
                    onSuccess: () => {
                      announce(t('card.restoredAnnouncement'));
                      void query.refetch();
                      void invalidateList();
                    },
                    onError: (error) => setGeneralErrors([t('common.error', { message: error.message })]),
                  },
                )
              }
            >
              {t('card.restore')}
            </button>
          ) : null}
        </div>
      ) : null}
      {readOnly && !client.deletedAt ? <p className="notice">{t('card.readOnly')}</p> : null}
      <StatusChangeNotice change={remote.statusChange} onDismiss={remote.dismissStatusChange} />
      <CardImages client={client} readOnly={readOnly} />
      <CardLiveProvider value={{ changes: remote.changes, viewers }}>
        <div {...fieldFocusHandlers((name) => name in client, setFocusedField)}>
          <ClientFormView
            form={form}
            readOnly={readOnly}
            canEditPortalAccess={can('clients.portalAccess')}
            lookupsAllowed={can('lookups.read')}
            generalErrors={generalErrors}
            onSubmit={() => void save()}
            actions={
              <div className="form-actions">
                {!readOnly ? (
                  <button type="submit" className="btn btn-primary" disabled={update.isPending}>
                    {t('card.save')}
                  </button>
                ) : null}
                {form.formState.isDirty && !readOnly ? <span className="hint">{t('card.unsaved')}</span> : null}
                <span className="spacer" />
                {can('clients.delete') && !client.deletedAt ? (
                  <button type="button" className="btn btn-danger" onClick={() => setConfirmDelete(true)}>
                    {t('card.delete')}
                  </button>
                ) : null}
              </div>
            }
          />
        </div>
      </CardLiveProvider>
      {can('clients.portalAccess') ? <PortalAccessSection client={client} link={portalLink} /> : null}
      <CardPanels client={client} readOnly={readOnly} />
      <ConfirmDialog
        isOpen={confirmDelete}
        title={t('card.deleteTitle')}
        confirmLabel={t('card.confirmDelete')}
        isPending={remove.isPending}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() =>
          remove.mutate(
            { ids: [id] },
            {
              onSuccess: () => {
                setConfirmDelete(false);
                announce(t('card.deletedAnnouncement'));
                void invalidateList();
                void queryClient.invalidateQueries({ queryKey: trpc.clients.get.queryKey({ id }) });
                navigate('/clients');
              },
              onError: (error) => {
                setConfirmDelete(false);
                setGeneralErrors([t('common.error', { message: error.message })]);
              },
            },
          )
        }
      >
        <p>{t('card.deleteBody', { name: client.name })}</p>
      </ConfirmDialog>
      <ConflictDialog
        conflicts={conflicts}
        isPending={update.isPending}
        onKeepTheirs={() => setConflicts([])}
        onUseMine={chooseMine}
      />
    </div>
  );
}
