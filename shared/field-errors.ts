/** Messages grouped by the field they are about: the shape of every validation error in the API and the forms. */
export type FieldErrors = Record<string, string[]>;

export function fieldErrorsFrom(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
    errors[field] = [...(errors[field] ?? []), issue.message];
  }
  return errors;
}
