import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FILE_KIND_LABELS, IMAGE_KINDS, type ImageKind } from '../../../shared/files';
import { useAnnounce } from '../../components/announcer';
import { useLocale } from '../../lib/i18n';
import { ImageField } from './image-field';
import { checkBeforeUpload, refreshClient, UploadFailure, uploadFile } from './upload';

type PerKind<T> = Partial<Record<ImageKind, T>>;

/**
 * A photo and a logo chosen on the New client page, before the client exists: they are uploaded right after
 * it is created (a file needs its client). A refusal then is announced; the card, where the new client opens,
 * offers the upload again.
 */
export function usePendingImages() {
  const { t } = useTranslation();
  const locale = useLocale();
  const announce = useAnnounce();
  const [chosen, setChosen] = useState<PerKind<File>>({});
  const [problems, setProblems] = useState<PerKind<string>>({});
  const [progress, setProgress] = useState<PerKind<number>>({});

  const choose = (kind: ImageKind, file: File | null) => {
    const refused = file ? checkBeforeUpload(file, kind, locale) : null;
    setProblems((current) => ({ ...current, [kind]: refused?.message }));
    if (!refused) setChosen((current) => ({ ...current, [kind]: file ?? undefined }));
  };

  const uploadTo = async (clientId: number): Promise<void> => {
    for (const kind of IMAGE_KINDS) {
      const file = chosen[kind];
      if (!file) continue;
      setProgress((current) => ({ ...current, [kind]: 0 }));
      try {
        await uploadFile({
          clientId,
          kind,
          file,
          locale,
          onProgress: (fraction) => setProgress((current) => ({ ...current, [kind]: fraction })),
          messages: { network: t('files.networkError'), unexpected: t('files.unexpectedError') },
        });
      } catch (error) {
        const reason = error instanceof UploadFailure ? error.message : t('files.unexpectedError');
        announce(t('files.notSavedWithClient', { label: FILE_KIND_LABELS[kind][locale], reason }), 'error');
      } finally {
        setProgress((current) => ({ ...current, [kind]: undefined }));
      }
    }
    await refreshClient(clientId);
  };

  const reset = () => {
    setChosen({});
    setProblems({});
  };

  const busy = Object.values(progress).some((value) => value !== undefined);
  return { chosen, problems, progress, choose, uploadTo, reset, busy };
}

export type PendingImages = ReturnType<typeof usePendingImages>;

/** The New client page's "Profile photo" and "Company logo" fields. */
export function PendingImageFields({ images }: { images: PendingImages }) {
  const { t } = useTranslation();
  return (
    <section className="card-images" aria-label={t('files.pictures')}>
      {IMAGE_KINDS.map((kind) => (
        <PendingImageField key={kind} kind={kind} images={images} />
      ))}
    </section>
  );
}

function PendingImageField({ kind, images }: { kind: ImageKind; images: PendingImages }) {
  const file = images.chosen[kind];
  const preview = useObjectUrl(file);
  return (
    <ImageField
      kind={kind}
      preview={preview}
      readOnly={false}
      progress={images.progress[kind] ?? null}
      problem={images.problems[kind] ?? null}
      onChoose={(chosen) => images.choose(kind, chosen)}
      onRemove={() => images.choose(kind, null)}
    />
  );
}

/** A URL for showing a local file, released when the file changes or the field goes away. */
function useObjectUrl(file: File | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!file) {
      setUrl(null);
      return;
    }
    const created = URL.createObjectURL(file);
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [file]);
  return url;
}
