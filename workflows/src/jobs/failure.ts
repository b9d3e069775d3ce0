import type { JobError } from '@catalog/domain';
import { failureTypes } from '@catalog/domain/workflows';
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

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
