import type { Product } from '@catalog/domain';
import { ApiError } from '../api/errors';

const fields = ['sku', 'name', 'description', 'price', 'active'] as const;
type Field = (typeof fields)[number];
export type FieldErrors = Partial<Record<Field | 'form', string>>;

const isField = (name: string): name is Field => fields.some((field) => field === name);

function isIssueList(value: unknown): value is { parameter: string; message: string }[] {
  return (
    Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && 'parameter' in item)
  );
}

function detail(error: ApiError, key: string): unknown {
  const details = error.details;
  return typeof details === 'object' && details !== null && key in details ? Reflect.get(details, key) : undefined;
}

/** A failed save, split by field so each message shows beside its input. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  if (!(error instanceof ApiError)) return { form: 'The product could not be saved.' };
  const issues = detail(error, 'issues');
  if (error.code === 'validation_failed' && isIssueList(issues)) {
    const errors: FieldErrors = {};
    for (const issue of issues) {
      const key = isField(issue.parameter) ? issue.parameter : 'form';
      errors[key] ??= issue.message;
    }
    return errors;
  }
  if (error.status === 409 && detail(error, 'existing')) return { sku: error.message };
  return { form: error.message };
}

function isProduct(value: unknown): value is Product {
  return typeof value === 'object' && value !== null && 'version' in value && 'sku' in value;
}

/** The product as it is now, when a save was refused because someone else changed it first. */
export function currentOfConflict(error: unknown): Product | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const current = detail(error, 'current');
  return isProduct(current) ? current : null;
}
