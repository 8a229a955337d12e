import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { NOTE_VISIBILITIES } from '../../../shared/enums';
import { type NoteContent, noteContentSchema } from '../../../shared/notes';
import { useSchemaForm } from '../../lib/schema-form';

interface Props {
  /** The form's accessible name ("New note", "Edit note"). */
  label: string;
  defaultValues: NoteContent;
  /** Staff choose public or private; a portal client's notes are always public. */
  allowPrivate: boolean;
  submitLabel: string;
  onSubmit: (values: NoteContent) => Promise<unknown>;
  onCancel?: () => void;
  /** The composer empties itself after a save; the edit form closes instead. */
  clearAfterSave?: boolean;
}

/** The note composer and the edit form: the shared rules check as you type, the server's answer lands at the field. */
export function NoteForm({
  label,
  defaultValues,
  allowPrivate,
  submitLabel,
  onSubmit,
  onCancel,
  clearAfterSave,
}: Props) {
  const { t } = useTranslation();
  const id = useId();
  const { form, problem, submit } = useSchemaForm<NoteContent, NoteContent>({
    schema: noteContentSchema,
    defaultValues,
    fields: ['body', 'visibility'],
    onSubmit,
    afterSave: clearAfterSave ? (values) => ({ body: '', visibility: values.visibility }) : undefined,
  });
  const { errors, isSubmitting } = form.formState;

  const bodyId = `${id}-body`;
  return (
    <form className="note-form" aria-label={label} onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={bodyId}>{t('notes.body')}</label>
        <textarea
          id={bodyId}
          rows={4}
          aria-invalid={errors.body ? true : undefined}
          aria-describedby={errors.body ? `${bodyId}-error ${bodyId}-hint` : `${bodyId}-hint`}
          {...form.register('body')}
        />
        <p id={`${bodyId}-hint`} className="hint">
          {t('notes.bodyHint')}
        </p>
        {errors.body ? (
          <p id={`${bodyId}-error`} className="field-error">
            {errors.body.message}
          </p>
        ) : null}
      </div>
      {allowPrivate ? (
        <fieldset className="note-visibility">
          <legend>{t('notes.visibility')}</legend>
          {NOTE_VISIBILITIES.map((visibility) => (
            <div key={visibility} className="radio-option">
              <input
                type="radio"
                id={`${id}-${visibility}`}
                value={visibility}
                aria-describedby={`${id}-${visibility}-help`}
                {...form.register('visibility')}
              />
              <label htmlFor={`${id}-${visibility}`}>{t(`notes.${visibility}`)}</label>
              <p id={`${id}-${visibility}-help`} className="hint">
                {t(`notes.${visibility}Help`)}
              </p>
            </div>
          ))}
          {errors.visibility ? <p className="field-error">{errors.visibility.message}</p> : null}
        </fieldset>
      ) : (
        <p className="hint">{t('notes.publicOnly')}</p>
      )}
      {problem ? (
        <p role="alert" className="form-alert">
          {problem}
        </p>
      ) : null}
      <div className="note-form-actions">
        <button type="submit" className="btn btn-primary" disabled={isSubmitting}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="btn" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
