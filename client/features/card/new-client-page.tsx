import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { ClientRecord } from '../../../shared/client-schema';
import { useAnnounce } from '../../components/announcer';
import { useCan } from '../../lib/session';
import { errorCode, fieldErrorsOf, queryClient, trpc } from '../../lib/trpc';
import { PendingImageFields, usePendingImages } from '../files/pending-images';
import { ClientFormView } from './client-form';
import { DuplicateWarning, useDuplicateCheck } from './duplicate-warning';
import { applyServerErrors, emptyValues, useClientForm } from './form-values';

export function NewClientPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const form = useClientForm(emptyValues());
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);
  const create = useMutation(trpc.clients.create.mutationOptions());
  const images = usePendingImages();
  const saving = create.isPending || images.busy;
  const duplicates = useDuplicateCheck(form);
  // Which save the duplicate warning stopped, so "Create anyway" can finish it.
  const [stopped, setStopped] = useState<{ another: boolean } | null>(null);

  const submit = (another: boolean, anyway = false) =>
    form.handleSubmit(async (record: ClientRecord) => {
      setGeneralErrors([]);
      try {
        if (!anyway && (await duplicates.unacknowledged(form.getValues())).length > 0) {
          setStopped({ another });
          announce(t('duplicates.blocking'), 'info');
          return;
        }
        setStopped(null);
        const client = await create.mutateAsync(record);
        void queryClient.invalidateQueries({ queryKey: trpc.clients.list.pathKey() });
        queryClient.setQueryData(trpc.clients.get.queryKey({ id: client.id }), client);
        announce(t('card.clientSaved'));
        await images.uploadTo(client.id);
        if (another) {
          images.reset();
          duplicates.reset();
          form.reset(emptyValues());
          window.setTimeout(() => form.setFocus('name'), 0);
        } else {
          navigate(`/clients/${client.id}`);
        }
      } catch (error) {
        const fieldErrors = fieldErrorsOf(error);
        if (fieldErrors) setGeneralErrors(applyServerErrors(form, fieldErrors));
        else if (errorCode(error) !== 'UNAUTHORIZED') {
          setGeneralErrors([t('common.error', { message: (error as Error).message })]);
        }
      }
    })();

  return (
    <div className="page page-card">
      <Link to="/clients" className="back">
        ← {t('card.backToList')}
      </Link>
      <div className="page-head">
        <h1>{t('card.newTitle')}</h1>
      </div>
      <PendingImageFields images={images} />
      <DuplicateWarning
        duplicates={duplicates.duplicates}
        blocking={stopped !== null}
        onCreateAnyway={() => {
          duplicates.acknowledge();
          if (stopped) void submit(stopped.another, true);
        }}
      />
      <ClientFormView
        form={form}
        readOnly={false}
        canEditPortalAccess={can('clients.portalAccess')}
        lookupsAllowed={can('lookups.read')}
        generalErrors={generalErrors}
        onSubmit={() => void submit(false)}
        actions={
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={saving}>
              {t('card.save')}
            </button>
            <button type="button" className="btn" disabled={saving} onClick={() => void submit(true)}>
              {t('card.saveAndAdd')}
            </button>
          </div>
        }
      />
    </div>
  );
}
