import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { Controller, type FieldPath } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { EditableClientField } from '../../../shared/client-fields';
import { countryName } from '../../../shared/countries';
import { languageName } from '../../../shared/languages';
import { PORTAL_EDITABLE_FIELDS } from '../../../shared/permissions';
import { useAnnounce } from '../../components/announcer';
import { easOptions } from '../../components/code-options';
import { SearchableSelect } from '../../components/combo-box';
import { Skeleton } from '../../components/skeleton';
import { useFieldLabel, useLocale } from '../../lib/i18n';
import { useUser } from '../../lib/session';
import { type ClientDto, errorCode, fieldErrorsOf, queryClient, trpc } from '../../lib/trpc';
import {
  applyServerErrors,
  type Changes,
  changesBetween,
  type FormValues,
  toFormValues,
  useClientForm,
} from '../card/form-values';
import { DocumentsPanel } from '../files/documents-panel';
import { NotesPanel } from '../notes/notes-panel';

/** What the portal shows but does not let the client change, in the card's order. */
const SHOWN: EditableClientField[] = [
  'salutation',
  'name',
  'email',
  'country',
  'language',
  'companyName',
  'website',
  'taxName',
  'taxNumber',
  'status',
  'emailNotifications',
];
/** What the client edits itself, in the order the card shows it (the set's order). */
const EDITED: EditableClientField[] = [...PORTAL_EDITABLE_FIELDS];
const TEXTAREAS = new Set<EditableClientField>(['companyAddress', 'shippingAddress']);
const PHONES = new Set<EditableClientField>(['mobile', 'officePhone']);

/** One shown value, in words: names for codes, the UI's words for enums and switches. */
function useShownValue(): (client: ClientDto, field: EditableClientField) => string {
  const { t } = useTranslation();
  const locale = useLocale();
  return (client, field) => {
    const value = (client as unknown as Record<string, unknown>)[field];
    if (value === null || value === undefined || value === '') return t('common.notSet');
    if (field === 'country') return countryName(String(value), locale);
    if (field === 'language') return languageName(String(value), locale);
    if (field === 'salutation') return t(`salutation.${value}`);
    if (field === 'status') return t(`status.${value}`);
    if (field === 'emailNotifications') return value ? t('portal.yes') : t('portal.no');
    return String(value);
  };
}

/** The client's own contact, address and e-invoicing fields, checked by the same rules as the staff's card. */
function PortalForm({ client }: { client: ClientDto }) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const announce = useAnnounce();
  const prefix = useId();
  const form = useClientForm(toFormValues(client));
  const baseline = useRef(client);
  const update = useMutation(trpc.clients.update.mutationOptions());
  const [general, setGeneral] = useState<string[]>([]);
  const { errors, isDirty } = form.formState;

  // What others save (live, through the query cache) shows at once while the client is not editing.
  useEffect(() => {
    if (baseline.current === client || isDirty) return;
    baseline.current = client;
    form.reset(toFormValues(client));
  }, [client, isDirty, form]);

  const save = form.handleSubmit(
    async (record) => {
      setGeneral([]);
      const all = changesBetween(record, baseline.current);
      const changes: Changes = Object.fromEntries(
        Object.entries(all).filter(([field]) => PORTAL_EDITABLE_FIELDS.has(field as EditableClientField)),
      );
      if (Object.keys(changes).length === 0) {
        announce(t('portal.nothingChanged'), 'info');
        return;
      }
      try {
        const result = await update.mutateAsync({
          id: client.id,
          changes: changes as Record<string, { base: unknown; value: unknown }>,
        });
        baseline.current = result.client;
        queryClient.setQueryData(trpc.clients.get.queryKey({ id: client.id }), result.client);
        form.reset(toFormValues(result.client));
        if (result.conflicts.length > 0) {
          const fields = result.conflicts.map((conflict) => label(conflict.field)).join(', ');
          setGeneral([t('portal.conflicts', { fields })]);
        } else announce(t('portal.saved'));
      } catch (error) {
        const fieldErrors = fieldErrorsOf(error);
        if (fieldErrors) setGeneral(applyServerErrors(form, fieldErrors));
        else if (errorCode(error) !== 'UNAUTHORIZED')
          setGeneral([t('common.error', { message: (error as Error).message })]);
      }
    },
    // A stored value the client cannot see or change may break a rule (data from before the rule): say which.
    (invalid) =>
      setGeneral(
        Object.entries(invalid)
          .filter(([field]) => !PORTAL_EDITABLE_FIELDS.has(field as EditableClientField))
          .map(([field, error]) => `${label(field as EditableClientField)}: ${error?.message ?? ''}`),
      ),
  );

  const idOf = (field: string) => `${prefix}-${field}`;
  const errorOf = (field: EditableClientField) => errors[field]?.message;
  const input = (field: EditableClientField) => {
    const props = {
      id: idOf(field),
      'aria-invalid': errorOf(field) ? true : undefined,
      'aria-describedby': errorOf(field) ? `${idOf(field)}-error` : undefined,
      ...form.register(field as FieldPath<FormValues>),
    };
    if (field === 'electronicAddressScheme') {
      return (
        <Controller
          key={field}
          control={form.control}
          name="electronicAddressScheme"
          render={({ field: controlled, fieldState }) => (
            <SearchableSelect
              label={label(field)}
              inputRef={controlled.ref}
              options={easOptions}
              value={controlled.value || null}
              onChange={(value) => controlled.onChange(value ?? '')}
              onBlur={controlled.onBlur}
              error={fieldState.error?.message}
              placeholder={t('card.searchScheme')}
            />
          )}
        />
      );
    }
    return (
      <div className={`field${TEXTAREAS.has(field) ? ' field-wide' : ''}`} key={field}>
        <label htmlFor={idOf(field)}>{label(field)}</label>
        {TEXTAREAS.has(field) ? (
          <textarea rows={3} {...props} />
        ) : (
          <input type={PHONES.has(field) ? 'tel' : 'text'} autoComplete="off" {...props} />
        )}
        {errorOf(field) ? (
          <p id={`${idOf(field)}-error`} className="field-error">
            {errorOf(field)}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <form
      className="card-form portal-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {general.length > 0 ? (
        <div className="error-summary" role="alert">
          <ul>
            {general.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="grid">{EDITED.map(input)}</div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={update.isPending}>
          {t('portal.save')}
        </button>
        {isDirty ? <span className="hint">{t('card.unsaved')}</span> : null}
      </div>
    </form>
  );
}

/**
 * The client portal: a signed-in client's own card. Its details (read only), the contact, address and e-invoicing
 * fields it may change, its public notes (it may add some) and its documents. Never another client.
 */
export function PortalPage() {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const shownValue = useShownValue();
  const user = useUser();
  const clientId = user.clientId ?? 0;
  const query = useQuery({ ...trpc.clients.get.queryOptions({ id: clientId }), enabled: clientId > 0 });
  const detailsId = useId();
  const editId = useId();
  const notesId = useId();
  const documentsId = useId();
  const client = query.data;

  if (query.isPending) {
    return (
      <div className="page page-card">
        <Skeleton variant="card" lines={8} />
      </div>
    );
  }
  if (!client) {
    return (
      <div className="page">
        <p role="alert" className="form-alert">
          {query.error ? t('common.error', { message: query.error.message }) : t('common.notFound')}
        </p>
      </div>
    );
  }

  return (
    <div className="page page-portal">
      <div className="page-head">
        <div>
          <h1>{client.name}</h1>
          <p className="sub">{t('portal.title')}</p>
        </div>
      </div>
      <section className="panel" aria-labelledby={detailsId}>
        <h2 id={detailsId}>{t('portal.readOnlyTitle')}</h2>
        <p className="hint">{t('portal.readOnlyHelp')}</p>
        <dl className="portal-facts">
          {SHOWN.map((field) => (
            <div key={field}>
              <dt>{label(field)}</dt>
              <dd>{shownValue(client, field)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="panel" aria-labelledby={editId}>
        <h2 id={editId}>{t('portal.editTitle')}</h2>
        <p className="hint">{t('portal.editHelp')}</p>
        <PortalForm client={client} />
      </section>
      <section className="panel" aria-labelledby={notesId}>
        <h2 id={notesId}>{t('portal.notesTitle')}</h2>
        <NotesPanel client={client} />
      </section>
      <section className="panel" aria-labelledby={documentsId}>
        <h2 id={documentsId}>{t('portal.documentsTitle')}</h2>
        <DocumentsPanel client={client} readOnly />
      </section>
    </div>
  );
}
