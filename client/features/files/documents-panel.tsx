import { useMutation, useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Button, DropZone, type FileDropItem, FileTrigger } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { FILE_SIZE_LIMITS, formatFileSize, mayDeleteFile } from '../../../shared/files';
import { useAnnounce } from '../../components/announcer';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { formatDateTime } from '../../lib/format';
import { useLocale } from '../../lib/i18n';
import { useUser } from '../../lib/session';
import { type ClientDto, type RouterOutputs, trpc } from '../../lib/trpc';
import { fileUrl, refreshDocuments, UploadFailure, uploadFile } from './upload';

type Document = RouterOutputs['files']['list'][number];

interface QueuedUpload {
  key: number;
  name: string;
  progress: number;
  error: string | null;
}

/** The card's Documents tab: the client's documents, newest first, and for those who may, an upload area. */
export function DocumentsPanel({ client, readOnly }: { client: ClientDto; readOnly: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const documents = useQuery(trpc.files.list.queryOptions({ clientId: client.id }));
  const queue = useUploadQueue(client.id);

  return (
    <div className="documents-panel">
      {readOnly ? (
        <p className="notice">{client.deletedAt ? t('files.deletedClient') : t('files.readOnly')}</p>
      ) : (
        <DropZone
          className="drop-zone"
          aria-label={t('files.dropZone')}
          onDrop={async (event) => {
            const items = event.items.filter((item): item is FileDropItem => item.kind === 'file');
            queue.start(await Promise.all(items.map((item) => item.getFile())));
          }}
        >
          <p>{t('files.dropHint', { limit: formatFileSize(FILE_SIZE_LIMITS.document, locale) })}</p>
          <FileTrigger allowsMultiple onSelect={(files) => queue.start(files ? [...files] : [])}>
            <Button className="btn btn-primary">{t('files.uploadDocuments')}</Button>
          </FileTrigger>
        </DropZone>
      )}
      {queue.items.length > 0 ? (
        <ul className="upload-queue" aria-label={t('files.uploads')} aria-live="polite">
          {queue.items.map((item) => (
            <li key={item.key} className="upload-item">
              <span className="upload-name">{item.name}</span>
              {item.error ? (
                <>
                  <span role="alert" className="field-error">
                    {item.error}
                  </span>
                  <button type="button" className="btn btn-small" onClick={() => queue.dismiss(item.key)}>
                    {t('files.dismiss')}
                  </button>
                </>
              ) : (
                <>
                  <progress max={1} value={item.progress} aria-label={t('files.uploadingLabel', { name: item.name })} />
                  <span>{t('files.uploading', { percent: Math.round(item.progress * 100) })}</span>
                </>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {documents.isPending ? (
        <p className="empty-small">{t('common.loading')}</p>
      ) : documents.isError ? (
        <p role="alert" className="form-alert">
          {t('common.error', { message: documents.error.message })}
        </p>
      ) : documents.data.length === 0 ? (
        <p className="empty-small">{t('files.empty')}</p>
      ) : (
        <table className="documents" aria-label={t('files.tableLabel')}>
          <thead>
            <tr>
              <th scope="col">{t('files.name')}</th>
              <th scope="col">{t('files.size')}</th>
              <th scope="col">{t('files.uploadedBy')}</th>
              <th scope="col">{t('files.uploadedAt')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('files.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {documents.data.map((document) => (
              <DocumentRow key={document.id} document={document} clientDeleted={Boolean(client.deletedAt)} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Uploads the chosen files one after another, each with its progress, and keeps each refusal on screen. */
function useUploadQueue(clientId: number) {
  const { t } = useTranslation();
  const locale = useLocale();
  const announce = useAnnounce();
  const [items, setItems] = useState<QueuedUpload[]>([]);
  const nextKey = useRef(1);
  const running = useRef<Promise<void>>(Promise.resolve());

  const update = (key: number, change: Partial<QueuedUpload>) =>
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const send = async (key: number, file: File) => {
    try {
      await uploadFile({
        clientId,
        kind: 'document',
        file,
        locale,
        onProgress: (progress) => update(key, { progress }),
        messages: { network: t('files.networkError'), unexpected: t('files.unexpectedError') },
      });
      setItems((current) => current.filter((item) => item.key !== key));
      await refreshDocuments(clientId);
      announce(t('files.documentAdded', { name: file.name }));
    } catch (error) {
      update(key, { error: error instanceof UploadFailure ? error.message : t('files.unexpectedError') });
    }
  };

  const start = (files: File[]) => {
    for (const file of files) {
      const key = nextKey.current++;
      setItems((current) => [...current, { key, name: file.name, progress: 0, error: null }]);
      running.current = running.current.then(() => send(key, file));
    }
  };

  const dismiss = (key: number) => setItems((current) => current.filter((item) => item.key !== key));
  return { items, start, dismiss };
}

function DocumentRow({ document, clientDeleted }: { document: Document; clientDeleted: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const user = useUser();
  const announce = useAnnounce();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const remove = useMutation(trpc.files.delete.mutationOptions());
  const mayDelete =
    !clientDeleted && mayDeleteFile(user, { kind: 'document', uploadedById: document.uploadedBy?.id ?? null });

  const confirmDelete = () =>
    remove.mutate(
      { id: document.id },
      {
        onSuccess: async () => {
          setConfirming(false);
          await refreshDocuments(document.clientId);
          announce(t('files.documentDeleted', { name: document.fileName }));
        },
        onError: (error) => {
          setConfirming(false);
          setProblem(t('common.error', { message: error.message }));
        },
      },
    );

  return (
    <tr>
      <th scope="row" className="document-name">
        {document.fileName}
        {problem ? (
          <span role="alert" className="field-error">
            {problem}
          </span>
        ) : null}
      </th>
      <td>{formatFileSize(document.size, locale)}</td>
      <td>{document.uploadedBy?.name ?? t('files.unknownUploader')}</td>
      <td>
        <time dateTime={document.createdAt.toISOString()}>{formatDateTime(document.createdAt, locale)}</time>
      </td>
      <td className="document-actions">
        <a
          className="btn btn-small"
          href={fileUrl(document.id)}
          download={document.fileName}
          aria-label={t('files.downloadDocument', { name: document.fileName })}
        >
          {t('files.download')}
        </a>
        {mayDelete ? (
          <button
            type="button"
            className="btn btn-small btn-danger"
            aria-label={t('files.deleteDocument', { name: document.fileName })}
            onClick={() => setConfirming(true)}
          >
            {t('common.delete')}
          </button>
        ) : null}
        <ConfirmDialog
          isOpen={confirming}
          title={t('files.deleteTitle', { name: document.fileName })}
          confirmLabel={t('files.confirmDelete')}
          isPending={remove.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={confirmDelete}
        >
          <p>{t('files.deleteBody')}</p>
        </ConfirmDialog>
      </td>
    </tr>
  );
}
