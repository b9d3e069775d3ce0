import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureTypes } from '@catalog/domain/workflows';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { describeFailure, failureType } from './failure';

const FALLBACK = { code: 'import_failed', message: 'The import failed' };

/** As an activity's failure reaches the workflow: wrapped, its own failure as the cause. */
const fromActivity = (cause: Error) =>
  new ActivityFailure('Activity task failed', 'stageImport', '1', RetryState.NON_RETRYABLE_FAILURE, undefined, cause);

test('a bad file is bad_file whichever job met it, with the activity’s own message', () => {
  const badFile = ApplicationFailure.nonRetryable('Row 3 is not UTF-8', failureTypes.badFile);
  assert.deepEqual(describeFailure(fromActivity(badFile), FALLBACK), {
    code: 'bad_file',
    message: 'Row 3 is not UTF-8',
  });
  assert.deepEqual(describeFailure(badFile, { code: 'bulk_delete_failed', message: '' }), {
    code: 'bad_file',
    message: 'Row 3 is not UTF-8',
  });
});

test('any other failure takes the kind’s code and keeps its message', () => {
  const boom = ApplicationFailure.nonRetryable('duplicate key value', 'Boom');
  assert.deepEqual(describeFailure(fromActivity(boom), FALLBACK), {
    code: 'import_failed',
    message: 'duplicate key value',
  });
  assert.deepEqual(describeFailure(new Error('the workflow’s own'), FALLBACK), {
    code: 'import_failed',
    message: 'the workflow’s own',
  });
  assert.deepEqual(describeFailure('not an error', FALLBACK), FALLBACK);
});

test('failureType sees through the activity wrapper', () => {
  const lost = ApplicationFailure.nonRetryable('gone', failureTypes.stagingLost);
  assert.equal(failureType(fromActivity(lost)), failureTypes.stagingLost);
  assert.equal(failureType(lost), failureTypes.stagingLost);
  assert.equal(failureType(new Error('plain')), undefined);
});
