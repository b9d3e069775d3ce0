import type { JobError } from '@catalog/domain';
import { failureTypes } from '@catalog/domain/workflows';
import { ActivityFailure, ApplicationFailure, CancelledFailure } from '@temporalio/workflow';

/** Failure types that mean the same to the user whatever the job; any other failure takes the job kind's own code. */
const codeByFailureType: Partial<Record<string, string>> = {
  [failureTypes.badFile]: 'bad_file',
  [failureTypes.undoExpired]: 'undo_expired',
};

/** What an activity raised (an activity's failure reaches the workflow wrapped), or the error itself. */
function rootCause(error: unknown): unknown {
  return error instanceof ActivityFailure && error.cause ? error.cause : error;
}

/** The failure type an activity (or the workflow itself) raised, for the failures a job reacts to by name. */
export function failureType(error: unknown): string | undefined {
  const cause = rootCause(error);
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

/** The job's error as users see it: a code by failure type, else `fallback`'s code, and the failure's own message. */
export function describeFailure(error: unknown, fallback: JobError): JobError {
  const cause = rootCause(error);
  const type = failureType(cause);
  return {
    code: (type && codeByFailureType[type]) || fallback.code,
    message: cause instanceof Error ? cause.message : fallback.message,
  };
}

/**
 * A job its own workflow ends as cancelled, for a reason of its own (a review that timed out):
 * the harness records `error` instead of the kind's usual cancellation message.
 */
export function endAsCancelled(error: JobError): CancelledFailure {
  return new CancelledFailure(error.message, [error]);
}

/** What a cancellation says: the reason `endAsCancelled` carries, else `fallback`. */
export function describeCancellation(error: unknown, fallback: JobError): JobError {
  const detail: unknown = error instanceof CancelledFailure ? error.details[0] : undefined;
  if (typeof detail === 'object' && detail !== null && 'code' in detail && 'message' in detail) {
    const { code, message } = detail;
    if (typeof code === 'string' && typeof message === 'string') return { code, message };
  }
  return fallback;
}
