import { failureTypes } from '@catalog/domain';
import { ApplicationFailure } from '@temporalio/common';

export const stagingLost = (what: string) =>
  ApplicationFailure.nonRetryable(
    `Staging data for this import is gone (${what}); staging again`,
    failureTypes.stagingLost,
  );
