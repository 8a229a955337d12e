import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { type ContractInput, contractInputSchema, projectInputSchema } from '../../../shared/projects';
import { useSchemaForm } from '../../lib/schema-form';

interface FormProps<T> {
  /** The form's accessible name ("New project", "Rename project Audit"). */
  label: string;
  submitLabel: string;
  onSubmit: (values: T) => Promise<unknown>;
  onCancel?: () => void;
  /** The add forms empty themselves after a save; the edit forms close instead. */
  clearAfterSave?: boolean;
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className="field-error">
      {message}
    </p>
  ) : null;
}

function FormEnd({
  problem,
  submitLabel,
  pending,
  onCancel,
}: {
  problem: string | null;
  submitLabel: string;
  pending: boolean;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <button type="submit" className="btn btn-primary" disabled={pending}>
        {submitLabel}
      </button>
      {onCancel ? (
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      ) : null}
      {problem ? (
        <p role="alert" className="form-alert form-alert-wide">
          {problem}
        </p>
      ) : null}
    </>
  );
}

/** Adds or renames a project. */
export function ProjectForm({ defaultName, ...props }: FormProps<{ name: string }> & { defaultName: string }) {
  const { t } = useTranslation();
  const id = useId();
  const { form, problem, submit } = useSchemaForm<{ name: string }, { name: string }>({
    schema: projectInputSchema,
    defaultValues: { name: defaultName },
    fields: ['name'],
    onSubmit: props.onSubmit,
    afterSave: props.clearAfterSave ? () => ({ name: '' }) : undefined,
  });
  const error = form.formState.errors.name?.message;
  return (
    <form className="inline-form" aria-label={props.label} onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('projects.name')}</label>
        <input
          id={`${id}-name`}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-name-error` : undefined}
          {...form.register('name')}
        />
        <FieldError id={`${id}-name-error`} message={error} />
      </div>
      <FormEnd
        problem={problem}
        submitLabel={props.submitLabel}
        pending={form.formState.isSubmitting}
        onCancel={props.onCancel}
      />
    </form>
  );
}

interface ContractValues {
  /** The select's value: a contract type's id as text, '' while none is chosen. */
  typeId: string;
  subject: string;
}

/** Adds or edits a contract: its subject and its type, chosen from the administrators' list. */
export function ContractForm({
  defaultValues,
  types,
  ...props
}: FormProps<ContractInput> & { defaultValues: ContractValues; types: { id: number; name: string }[] }) {
  const { t } = useTranslation();
  const id = useId();
  const { form, problem, submit } = useSchemaForm<ContractValues, ContractInput>({
    schema: contractInputSchema,
    defaultValues,
    fields: ['typeId', 'subject'],
    onSubmit: props.onSubmit,
    afterSave: props.clearAfterSave ? (values) => ({ typeId: String(values.typeId), subject: '' }) : undefined,
  });
  const { errors } = form.formState;
  return (
    <form className="inline-form" aria-label={props.label} onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-subject`}>{t('projects.subject')}</label>
        <input
          id={`${id}-subject`}
          autoComplete="off"
          aria-invalid={errors.subject ? true : undefined}
          aria-describedby={errors.subject ? `${id}-subject-error` : undefined}
          {...form.register('subject')}
        />
        <FieldError id={`${id}-subject-error`} message={errors.subject?.message} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-type`}>{t('projects.type')}</label>
        <select
          id={`${id}-type`}
          aria-invalid={errors.typeId ? true : undefined}
          aria-describedby={errors.typeId ? `${id}-type-error` : undefined}
          {...form.register('typeId')}
        >
          <option value="">{t('projects.chooseType')}</option>
          {types.map((type) => (
            <option key={type.id} value={String(type.id)}>
              {type.name}
            </option>
          ))}
        </select>
        <FieldError id={`${id}-type-error`} message={errors.typeId?.message} />
      </div>
      <FormEnd
        problem={problem}
        submitLabel={props.submitLabel}
        pending={form.formState.isSubmitting}
        onCancel={props.onCancel}
      />
    </form>
  );
}
