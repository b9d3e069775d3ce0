import { failureTypes } from '@catalog/domain';
import { ApplicationFailure } from '@temporalio/common';

export const stagingLost = (what: string) =>
  ApplicationFailure.nonRetryable(
    `Staging data for this import is gone (${what}); staging again`,
    failureTypes.stagingLost,
  );

export const jobNotRunning = (status: string) =>
  ApplicationFailure.nonRetryable(`The import is ${status}; this chunk was not applied`, 'JobNotRunning');
