import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from '../../components/announcer';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { fieldErrorsOf, queryClient, type RouterOutputs, trpc } from '../../lib/trpc';
import { type ListView, sameView, toListInput, viewOfSaved } from './list-params';

type SavedView = RouterOutputs['views']['list'][number];

interface Props {
  view: ListView;
  /** Shows a saved view's search, filters, sort and columns. */
  onOpen: (view: ListView) => void;
}

const refreshViews = () => queryClient.invalidateQueries({ queryKey: trpc.views.list.queryKey() });

/** The message to show for a failed save: the name's own error when the server names it. */
function saveError(error: unknown): string {
  return fieldErrorsOf(error)?.name?.[0] ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Saved views: open one (own first, then the team's), save the current search, filters, sort and columns under a
 * name (private or shared), and rename or delete the open one when it is one's own (administrators: any).
 */
export function SavedViews({ view, onOpen }: Props) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const views = useQuery(trpc.views.list.queryOptions());
  const [dialog, setDialog] = useState<'save' | 'rename' | 'delete' | null>(null);
  const save = useMutation(trpc.views.save.mutationOptions());
  const rename = useMutation(trpc.views.rename.mutationOptions());
  const remove = useMutation(trpc.views.delete.mutationOptions());

  const all = views.data ?? [];
  // The open view is the saved one the list shows right now; changing a filter leaves it.
  const current = all.find((saved) => sameView(viewOfSaved(saved), view));
  const mine = all.filter((saved) => saved.mine);
  const shared = all.filter((saved) => !saved.mine);

  const close = () => {
    setDialog(null);
    save.reset();
    rename.reset();
  };

  const submitSave = async (name: string, isShared: boolean) => {
    const { page: _page, ...input } = toListInput(view);
    const saved = await save.mutateAsync({ name, shared: isShared, input, columns: view.columns });
    await refreshViews();
    announce(t('views.saved', { name: saved.name }));
    close();
  };

  const submitRename = async (target: SavedView, name: string) => {
    const renamed = await rename.mutateAsync({ id: target.id, name });
    await refreshViews();
    announce(t('views.renamed', { name: renamed.name }));
    close();
  };

  const deleteCurrent = async (target: SavedView) => {
    await remove.mutateAsync({ id: target.id });
    await refreshViews();
    announce(t('views.deleted', { name: target.name }));
    close();
  };

  const label = (saved: SavedView) =>
    saved.mine ? saved.name : t('views.sharedBy', { name: saved.name, owner: saved.owner.name });

  return (
    <div className="saved-views">
      <div className="field field-inline">
        <label htmlFor="saved-view">{t('views.label')}</label>
        <select
          id="saved-view"
          value={current?.id ?? ''}
          onChange={(event) => {
            const chosen = all.find((saved) => saved.id === Number(event.target.value));
            if (chosen) onOpen(viewOfSaved(chosen));
          }}
        >
          <option value="">{all.length > 0 ? t('views.none') : t('views.empty')}</option>
          {mine.length > 0 ? (
            <optgroup label={t('views.mine')}>
              {mine.map((saved) => (
                <option key={saved.id} value={saved.id}>
                  {label(saved)}
                  {saved.shared ? ` (${t('views.sharedMark')})` : ''}
                </option>
              ))}
            </optgroup>
          ) : null}
          {shared.length > 0 ? (
            <optgroup label={t('views.team')}>
              {shared.map((saved) => (
                <option key={saved.id} value={saved.id}>
                  {label(saved)}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      </div>
      <button type="button" className="btn btn-ghost" onClick={() => setDialog('save')}>
        {t('views.save')}
      </button>
      {current?.mayChange ? (
        <>
          <button type="button" className="btn btn-ghost" onClick={() => setDialog('rename')}>
            {t('views.rename')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => setDialog('delete')}>
            {t('views.delete')}
          </button>
        </>
      ) : null}

      {dialog === 'save' ? (
        <NameDialog
          title={t('views.saveTitle')}
          initialName=""
          withSharing
          isPending={save.isPending}
          error={save.error ? saveError(save.error) : null}
          onCancel={close}
          onSubmit={(name, isShared) => void submitSave(name, isShared).catch(() => {})}
        />
      ) : null}
      {dialog === 'rename' && current ? (
        <NameDialog
          title={t('views.renameTitle', { name: current.name })}
          initialName={current.name}
          isPending={rename.isPending}
          error={rename.error ? saveError(rename.error) : null}
          onCancel={close}
          onSubmit={(name) => void submitRename(current, name).catch(() => {})}
        />
      ) : null}
      <ConfirmDialog
        isOpen={dialog === 'delete' && Boolean(current)}
        title={t('views.deleteTitle', { name: current?.name ?? '' })}
        confirmLabel={t('views.delete')}
        isPending={remove.isPending}
        onCancel={close}
        onConfirm={() => {
          if (current) void deleteCurrent(current).catch((error: Error) => announce(error.message, 'error'));
        }}
      >
        {current && !current.mine ? <p>{t('views.deleteOthers', { owner: current.owner.name })}</p> : null}
      </ConfirmDialog>
    </div>
  );
}

interface NameDialogProps {
  title: string;
  initialName: string;
  withSharing?: boolean;
  isPending: boolean;
  error: string | null;
  onCancel: () => void;
  onSubmit: (name: string, shared: boolean) => void;
}

function NameDialog({ title, initialName, withSharing, isPending, error, onCancel, onSubmit }: NameDialogProps) {
  const { t } = useTranslation();
  const [name, setName] = useState(initialName);
  const [shared, setShared] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(name, shared);
  };
  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen
      isDismissable
      onOpenChange={(open) => {
        if (!open) onCancel();
      }}
    >
      <Modal className="modal">
        <Dialog className="dialog">
          <Heading slot="title" className="dialog-title">
            {title}
          </Heading>
          <form onSubmit={submit}>
            <div className="field">
              <label htmlFor="view-name">{t('views.name')}</label>
              <input
                id="view-name"
                value={name}
                maxLength={100}
                autoFocus
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'view-name-error' : undefined}
                onChange={(event) => setName(event.target.value)}
              />
              {error ? (
                <p id="view-name-error" className="field-error" role="alert">
                  {error}
                </p>
              ) : null}
            </div>
            {withSharing ? (
              <label className="check">
                <input type="checkbox" checked={shared} onChange={(event) => setShared(event.target.checked)} />
                {t('views.shareWithTeam')}
              </label>
            ) : null}
            <div className="dialog-actions">
              <button type="button" className="btn" onClick={onCancel}>
                {t('common.cancel')}
              </button>
              <button type="submit" className="btn btn-primary" disabled={isPending}>
                {t('views.saveButton')}
              </button>
            </div>
          </form>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
