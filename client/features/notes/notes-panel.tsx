import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mayChangeNote } from '../../../shared/notes';
import { useAnnounce } from '../../components/announcer';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { formatDateTime } from '../../lib/format';
import { useLocale } from '../../lib/i18n';
import { useCan, useUser } from '../../lib/session';
import { type ClientDto, queryClient, type RouterOutputs, trpc } from '../../lib/trpc';
import { NoteForm } from './note-form';
import { NoteText } from './note-text';

type Note = RouterOutputs['notes']['list'][number];

function refreshNotes(clientId: number) {
  return queryClient.invalidateQueries({ queryKey: trpc.notes.list.queryKey({ clientId }) });
}

/** The card's Notes tab: the composer for those who may write, then the client's notes, newest first. */
export function NotesPanel({ client }: { client: ClientDto }) {
  const { t } = useTranslation();
  const can = useCan();
  const announce = useAnnounce();
  const headingId = useId();
  const notes = useQuery(trpc.notes.list.queryOptions({ clientId: client.id }));
  const add = useMutation(trpc.notes.add.mutationOptions());
  // Not the card's readOnly: a portal client may not edit its card's fields but may add notes to it.
  const mayWrite = can('notes.write') && !client.deletedAt;
  const allowPrivate = can('notes.readPrivate');

  return (
    <div className="notes-panel">
      {mayWrite ? (
        <section aria-labelledby={headingId} className="note-composer">
          <h2 id={headingId}>{t('notes.composerTitle')}</h2>
          <NoteForm
            label={t('notes.composerTitle')}
            defaultValues={{ body: '', visibility: allowPrivate ? 'private' : 'public' }}
            allowPrivate={allowPrivate}
            submitLabel={t('notes.add')}
            clearAfterSave
            onSubmit={async (values) => {
              await add.mutateAsync({ clientId: client.id, ...values });
              announce(t('notes.added'));
              void refreshNotes(client.id);
            }}
          />
        </section>
      ) : (
        <p className="notice">{client.deletedAt ? t('notes.deletedClient') : t('notes.readOnly')}</p>
      )}
      {notes.isPending ? (
        <p className="empty-small">{t('common.loading')}</p>
      ) : notes.isError ? (
        <p role="alert" className="form-alert">
          {t('common.error', { message: notes.error.message })}
        </p>
      ) : notes.data.length === 0 ? (
        <p className="empty-small">{t('notes.empty')}</p>
      ) : (
        <ul className="notes" aria-label={t('notes.listLabel')}>
          {notes.data.map((note) => (
            <NoteItem key={note.id} note={note} clientDeleted={Boolean(client.deletedAt)} allowPrivate={allowPrivate} />
          ))}
        </ul>
      )}
    </div>
  );
}

function NoteItem({
  note,
  clientDeleted,
  allowPrivate,
}: {
  note: Note;
  clientDeleted: boolean;
  allowPrivate: boolean;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const user = useUser();
  const announce = useAnnounce();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const update = useMutation(trpc.notes.update.mutationOptions());
  const remove = useMutation(trpc.notes.delete.mutationOptions());

  const author = note.author?.name ?? t('notes.system');
  const created = formatDateTime(note.createdAt, locale);
  const mayChange = !clientDeleted && mayChangeNote(user, { authorId: note.author?.id ?? null });

  const confirmDelete = () =>
    remove.mutate(
      { id: note.id },
      {
        onSuccess: () => {
          setConfirming(false);
          announce(t('notes.deleted'));
          void refreshNotes(note.clientId);
        },
        onError: (error) => {
          setConfirming(false);
          setProblem(t('common.error', { message: error.message }));
        },
      },
    );

  return (
    <li className="note">
      <div className="note-head">
        <span className="note-author">{author}</span>
        <time dateTime={note.createdAt.toISOString()}>{created}</time>
        {note.edited ? (
          <span className="note-edited" title={t('notes.editedAt', { date: formatDateTime(note.editedAt, locale) })}>
            {t('notes.edited')}
          </span>
        ) : null}
        <span className={`badge badge-${note.visibility}-note`}>{t(`notes.${note.visibility}`)}</span>
        <span className="spacer" />
        {mayChange && !editing ? (
          <>
            <button
              type="button"
              className="btn btn-small"
              aria-label={t('notes.editNote', { name: author, date: created })}
              onClick={() => setEditing(true)}
            >
              {t('notes.edit')}
            </button>
            <button
              type="button"
              className="btn btn-small btn-danger"
              aria-label={t('notes.deleteNote', { name: author, date: created })}
              onClick={() => setConfirming(true)}
            >
              {t('common.delete')}
            </button>
          </>
        ) : null}
      </div>
      {editing ? (
        <NoteForm
          label={t('notes.editForm')}
          defaultValues={{ body: note.body, visibility: note.visibility }}
          allowPrivate={allowPrivate}
          submitLabel={t('notes.save')}
          onCancel={() => setEditing(false)}
          onSubmit={async (values) => {
            await update.mutateAsync({ id: note.id, ...values });
            setEditing(false);
            announce(t('notes.saved'));
            void refreshNotes(note.clientId);
          }}
        />
      ) : (
        <NoteText text={note.body} />
      )}
      {problem ? (
        <p role="alert" className="form-alert">
          {problem}
        </p>
      ) : null}
      <ConfirmDialog
        isOpen={confirming}
        title={t('notes.deleteTitle')}
        confirmLabel={t('notes.confirmDelete')}
        isPending={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={confirmDelete}
      >
        <p>{t('notes.deleteBody')}</p>
      </ConfirmDialog>
    </li>
  );
}
