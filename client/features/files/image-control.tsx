import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IMAGE_FIELDS, type ImageKind } from '../../../shared/files';
import { useAnnounce } from '../../components/announcer';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useFieldLabel, useLocale } from '../../lib/i18n';
import { type ClientDto, trpc } from '../../lib/trpc';
import { ImageField } from './image-field';
import { fileUrl, refreshClient, UploadFailure, uploadFile } from './upload';

/**
 * The card's "Profile photo" or "Company logo": a chosen picture is uploaded at once (with progress) and replaces
 * the current one; Remove asks first. Refusals, the browser's own and the server's, show at the field.
 */
function ImageControl({ client, kind, readOnly }: { client: ClientDto; kind: ImageKind; readOnly: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const announce = useAnnounce();
  const label = useFieldLabel()(IMAGE_FIELDS[kind]);
  const [progress, setProgress] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(trpc.files.delete.mutationOptions());
  const fileId = client[IMAGE_FIELDS[kind]];

  const choose = async (file: File) => {
    setProblem(null);
    setProgress(0);
    try {
      await uploadFile({
        clientId: client.id,
        kind,
        file,
        locale,
        onProgress: setProgress,
        messages: { network: t('files.networkError'), unexpected: t('files.unexpectedError') },
      });
      await refreshClient(client.id);
      announce(t('files.imageSaved', { label }));
    } catch (error) {
      setProblem(error instanceof UploadFailure ? error.message : t('files.unexpectedError'));
    } finally {
      setProgress(null);
    }
  };

  const confirmRemove = () => {
    if (fileId === null) return;
    remove.mutate(
      { id: fileId },
      {
        onSuccess: async () => {
          setConfirming(false);
          setProblem(null);
          await refreshClient(client.id);
          announce(t('files.imageRemoved', { label }));
        },
        onError: (error) => {
          setConfirming(false);
          setProblem(t('common.error', { message: error.message }));
        },
      },
    );
  };

  return (
    <ImageField
      kind={kind}
      preview={fileId !== null ? fileUrl(fileId, 'thumb') : null}
      readOnly={readOnly}
      progress={progress}
      problem={problem}
      busy={remove.isPending}
      onChoose={(file) => void choose(file)}
      onRemove={() => setConfirming(true)}
    >
      <ConfirmDialog
        isOpen={confirming}
        title={t('files.removeImageTitle', { label })}
        confirmLabel={t('files.remove')}
        isPending={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={confirmRemove}
      >
        <p>{t('files.removeImageBody')}</p>
      </ConfirmDialog>
    </ImageField>
  );
}

/** The card's two pictures, side by side above the client's fields. */
export function CardImages({ client, readOnly }: { client: ClientDto; readOnly: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="card-images" aria-label={t('files.pictures')}>
      <ImageControl client={client} kind="photo" readOnly={readOnly} />
      <ImageControl client={client} kind="logo" readOnly={readOnly} />
    </section>
  );
}
