import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientListInput } from '../../../shared/client-schema';
import type { ClientStatus } from '../../../shared/enums';
import { useAnnounce } from '../../components/announcer';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useCan } from '../../lib/session';
import { queryClient, trpc, trpcClient } from '../../lib/trpc';
import { inChunks, type Progress } from './chunks';

/** What the bulk actions apply to: the ticked rows, or every client matching the list's search and filters. */
export type BulkTarget = { ids: number[] } | { filter: ClientListInput };

interface Props {
  target: BulkTarget;
  /** How many clients the target holds, for the labels. */
  count: number;
  /** Offered when every row of the page is ticked and more clients match. */
  total: number;
  onSelectAll: (() => void) | null;
  onDone: () => void;
  /** The categories to assign; empty when the user may not see them. */
  categories: readonly { id: number; name: string }[];
}

/** The ids a target stands for: "every client matching" is resolved first, so the set does not shift under the chunks. */
const idsOf = async (target: BulkTarget) =>
  'ids' in target ? target.ids : await trpcClient.clients.matchingIds.query(target.filter);

const refreshLists = () => queryClient.invalidateQueries({ queryKey: trpc.clients.list.pathKey() });

/**
 * Actions on the chosen clients: set the status, or delete them with an Undo that restores exactly those.
 * The server applies them in batches with one event per client, so every open list and card sees them live.
 */
export function BulkBar({ target, count, total, onSelectAll, onDone, categories }: Props) {
  const { t } = useTranslation();
  const can = useCan();
  const announce = useAnnounce();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [undoIds, setUndoIds] = useState<number[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const setStatus = useMutation(trpc.clients.setStatus.mutationOptions());
  const remove = useMutation(trpc.clients.delete.mutationOptions());
  const restore = useMutation(trpc.clients.restore.mutationOptions());
  const assign = useMutation(trpc.clients.assignCategory.mutationOptions());
  const [progress, setProgress] = useState<Progress | null>(null);
  const busy = setStatus.isPending || remove.isPending || restore.isPending || assign.isPending || progress !== null;

  const run = async (work: () => Promise<void>) => {
    setError(null);
    try {
      await work();
      void refreshLists();
    } catch (failure) {
      setError(t('common.error', { message: (failure as Error).message }));
    }
  };

  const changeStatus = (status: ClientStatus) =>
    run(async () => {
      const { affected } = await inChunks(
        idsOf(target),
        (chunk) => setStatus.mutateAsync({ ...chunk, status }),
        setProgress,
      );
      announce(t('bulk.statusDone', { count: affected, status: t(`status.${status}`) }));
      onDone();
    });

  const deleteThem = () =>
    run(async () => {
      setConfirmDelete(false);
      const { affected, ids } = await inChunks(idsOf(target), (chunk) => remove.mutateAsync(chunk), setProgress);
      setUndoIds(ids);
      announce(t('bulk.deleted', { count: affected }));
      onDone();
    });

  const undo = () =>
    run(async () => {
      if (!undoIds) return;
      const { affected } = await inChunks(undoIds, (chunk) => restore.mutateAsync(chunk), setProgress);
      setUndoIds(null);
      announce(t('bulk.restored', { count: affected }));
    });

  const assignCategory = (categoryId: number | null) =>
    run(async () => {
      const { affected } = await inChunks(
        idsOf(target),
        (chunk) => assign.mutateAsync({ ...chunk, categoryId }),
        setProgress,
      );
      const name = categories.find((category) => category.id === categoryId)?.name ?? t('bulk.noCategory');
      announce(t('bulk.categoryDone', { count: affected, category: name }));
      onDone();
    });

  return (
    <>
      {count > 0 ? (
        <section className="bulk-bar" aria-label={t('bulk.label')}>
          <p aria-live="polite">{t('bulk.selected', { count })}</p>
          {onSelectAll ? (
            <button type="button" className="btn btn-ghost" onClick={onSelectAll}>
              {t('bulk.selectAll', { count: total })}
            </button>
          ) : null}
          <button type="button" className="btn" disabled={busy} onClick={() => void changeStatus('active')}>
            {t('bulk.setActive')}
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => void changeStatus('inactive')}>
            {t('bulk.setInactive')}
          </button>
          {can('clients.write') && categories.length > 0 ? (
            <select
              aria-label={t('bulk.assignCategory')}
              className="bulk-category"
              value=""
              disabled={busy}
              onChange={(event) => {
                const value = event.target.value;
                if (value) void assignCategory(value === 'none' ? null : Number(value));
              }}
            >
              <option value="">{t('bulk.assignCategory')}</option>
              {categories.map((category) => (
                <option key={category.id} value={category.id}>
                  {category.name}
                </option>
              ))}
              <option value="none">{t('bulk.noCategory')}</option>
            </select>
          ) : null}
          {can('clients.delete') ? (
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => setConfirmDelete(true)}>
              {t('bulk.delete')}
            </button>
          ) : null}
          {progress ? (
            <span className="bulk-progress">
              <progress
                id="bulk-progress"
                value={progress.done}
                max={progress.total}
                aria-label={t('bulk.progressLabel')}
              />
              <span className="hint">
                {t('bulk.progress', { done: progress.done.toLocaleString(), total: progress.total.toLocaleString() })}
              </span>
            </span>
          ) : busy ? (
            <span className="hint">{t('bulk.working')}</span>
          ) : null}
        </section>
      ) : null}
      {undoIds ? (
        <p className="notice bulk-undo" aria-live="polite">
          {t('bulk.deleted', { count: undoIds.length })}{' '}
          <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => void undo()}>
            {t('bulk.undo')}
          </button>
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="form-alert">
          {error}
        </p>
      ) : null}
      <ConfirmDialog
        isOpen={confirmDelete}
        title={t('bulk.deleteTitle', { count })}
        confirmLabel={t('bulk.delete')}
        isPending={remove.isPending}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => void deleteThem()}
      >
        <p>{t('bulk.deleteBody')}</p>
      </ConfirmDialog>
    </>
  );
}
