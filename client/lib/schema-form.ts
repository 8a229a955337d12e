import { zodResolver } from '@hookform/resolvers/zod';
import { type FormEvent, useState } from 'react';
import {
  type DefaultValues,
  type FieldPath,
  type FieldValues,
  type Resolver,
  type UseFormReturn,
  useForm,
} from 'react-hook-form';
import { fieldErrorsOf } from './trpc';

/**
 * Shows a refused save's per-field messages at the form's own fields (focusing the first) and returns what
 * belongs to none of them, or the error's message when it names no field, for the form to show as a whole.
 */
export function showServerErrors<T extends FieldValues>(
  form: UseFormReturn<T, unknown, unknown>,
  error: unknown,
  fields: readonly FieldPath<T>[],
): string | null {
  const fieldErrors = fieldErrorsOf(error);
  if (!fieldErrors) return error instanceof Error ? error.message : String(error);
  const rest: string[] = [];
  let shouldFocus = true;
  for (const [field, messages] of Object.entries(fieldErrors)) {
    if ((fields as readonly string[]).includes(field)) {
      form.setError(field as FieldPath<T>, { type: 'server', message: messages.join(' ') }, { shouldFocus });
      shouldFocus = false;
    } else {
      rest.push(...messages);
    }
  }
  return rest.length > 0 ? rest.join(' ') : null;
}

interface Options<TValues extends FieldValues, TOutput> {
  /** A shared zod schema: the same rules the server applies, checked as the user types. */
  schema: Parameters<typeof zodResolver>[0];
  defaultValues: DefaultValues<TValues>;
  /** The fields this form shows, so the server's messages about them land at them. */
  fields: readonly FieldPath<TValues>[];
  onSubmit: (values: TOutput) => Promise<unknown>;
  /** What the form holds after a successful save, for forms that stay open (composers). */
  afterSave?: (values: TOutput) => DefaultValues<TValues>;
}

/** A small form driven by a shared schema, whose save errors land at its fields or, if none fits, as `problem`. */
export function useSchemaForm<TValues extends FieldValues, TOutput>(options: Options<TValues, TOutput>) {
  const form = useForm<TValues, unknown, TOutput>({
    defaultValues: options.defaultValues,
    resolver: zodResolver(options.schema) as unknown as Resolver<TValues, unknown, TOutput>,
    mode: 'onChange',
  });
  const [problem, setProblem] = useState<string | null>(null);
  const handle = form.handleSubmit(async (values) => {
    setProblem(null);
    try {
      await options.onSubmit(values);
      if (options.afterSave) form.reset(options.afterSave(values));
    } catch (error) {
      setProblem(showServerErrors(form, error, options.fields));
    }
  });
  return { form, problem, submit: (event: FormEvent) => void handle(event) };
}
