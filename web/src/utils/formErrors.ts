import { ApiError } from '../api/errors';

/** A form's messages, one per field, plus `form` for what belongs to no field. */
export type FormErrors<F extends string> = Partial<Record<F | 'form', string>>;

function issuesOf(error: ApiError): { parameter: string; message: string }[] {
  const issues: unknown =
    typeof error.details === 'object' && error.details !== null ? Reflect.get(error.details, 'issues') : undefined;
  if (!Array.isArray(issues)) return [];
  return issues.filter(
    (issue): issue is { parameter: string; message: string } =>
      typeof issue === 'object' &&
      issue !== null &&
      typeof Reflect.get(issue, 'parameter') === 'string' &&
      typeof Reflect.get(issue, 'message') === 'string',
  );
}

/** A refused submit, split by field so each message shows beside its input (the API names the parameter). */
export function formErrorsOf<F extends string>(error: unknown, fields: readonly F[], fallback: string): FormErrors<F> {
  const errors: FormErrors<F> = {};
  if (!(error instanceof ApiError)) {
    errors.form = fallback;
    return errors;
  }
  for (const issue of issuesOf(error)) {
    const field = fields.find((name) => name === issue.parameter);
    errors[field ?? 'form'] ??= issue.message;
  }
  if (Object.keys(errors).length === 0) errors.form = error.message;
  return errors;
}
