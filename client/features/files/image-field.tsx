import { type ReactNode, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { FILE_SIZE_LIMITS, formatFileSize, IMAGE_FIELDS, IMAGE_TYPES, type ImageKind } from '../../../shared/files';
import { useFieldLabel, useLocale } from '../../lib/i18n';

interface Props {
  kind: ImageKind;
  /** The picture to show: a thumbnail's URL, or a chosen file's object URL; null for none. */
  preview: string | null;
  readOnly: boolean;
  /** 0..1 while uploading; null otherwise. */
  progress: number | null;
  problem: string | null;
  onChoose: (file: File) => void;
  onRemove: () => void;
  busy?: boolean;
  /** What goes after the field (a confirmation dialog). */
  children?: ReactNode;
}

/**
 * A "Profile photo" or "Company logo" field: the picture, a button that opens the file picker (Upload, or
 * Replace when there is one), Remove, the accepted formats and size, upload progress and the reason for a
 * refusal, all labelled by the field's name. The card and the New client page each decide what choosing does.
 */
export function ImageField({ kind, preview, readOnly, progress, problem, onChoose, onRemove, busy, children }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const label = useFieldLabel()(IMAGE_FIELDS[kind]);
  const ids = { label: useId(), hint: useId(), error: useId() };
  const input = useRef<HTMLInputElement>(null);
  const describedBy = [ids.hint, problem ? ids.error : null].filter(Boolean).join(' ');
  const disabled = progress !== null || Boolean(busy);

  return (
    <fieldset className={`image-control image-control-${kind}`}>
      <legend id={ids.label} className="image-control-label">
        {label}
      </legend>
      <div className="image-control-body">
        {preview ? (
          <img className="image-control-preview" src={preview} alt={label} />
        ) : (
          <span className="image-control-preview image-control-empty">{t('files.noImage')}</span>
        )}
        {readOnly ? null : (
          <div className="image-control-actions">
            <input
              ref={input}
              type="file"
              aria-labelledby={ids.label}
              className="visually-hidden"
              tabIndex={-1}
              accept={IMAGE_TYPES.join(',')}
              aria-describedby={describedBy}
              aria-invalid={problem ? true : undefined}
              disabled={disabled}
              onChange={(event) => {
                const file = event.target.files?.[0];
                event.target.value = ''; // the same file may be chosen again after a refusal
                if (file) onChoose(file);
              }}
            />
            <button
              type="button"
              className="btn btn-small"
              aria-describedby={describedBy}
              disabled={disabled}
              onClick={() => input.current?.click()}
            >
              {preview ? t('files.replace') : t('files.upload')}
            </button>
            {preview ? (
              <button type="button" className="btn btn-small btn-danger" disabled={disabled} onClick={onRemove}>
                {t('files.remove')}
              </button>
            ) : null}
          </div>
        )}
      </div>
      {readOnly ? null : (
        <p id={ids.hint} className="hint">
          {t('files.imageHint', { limit: formatFileSize(FILE_SIZE_LIMITS[kind], locale) })}
        </p>
      )}
      <div aria-live="polite" className="upload-progress">
        {progress !== null ? (
          <>
            <progress max={1} value={progress} aria-label={t('files.uploadingLabel', { name: label })} />
            <span>{t('files.uploading', { percent: Math.round(progress * 100) })}</span>
          </>
        ) : null}
      </div>
      {problem ? (
        <p id={ids.error} role="alert" className="field-error">
          {problem}
        </p>
      ) : null}
      {children}
    </fieldset>
  );
}
