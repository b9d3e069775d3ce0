import { ApplicationFailure } from '@temporalio/common';
import { failureTypes } from '@catalog/workflows';

export const stagingLost = (what: string) =>
  ApplicationFailure.nonRetryable(`Staging data for this import is gone (${what}); staging again`, failureTypes.stagingLost);
