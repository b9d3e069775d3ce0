import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { jobWorkflowId, systemAttribution } from '@catalog/domain';
import { jobKindAttribute } from '@catalog/workflows';
import { startDeleteAll } from '../../../tests/support/delete-all';
import { finalEvent, pollUntil } from '../../../tests/support/imports';
import { type Stack, startStack } from '../../../tests/support/stack';
import { importWorkflowMetadata } from './workflow-metadata';

/**
 * Operators find jobs in the Temporal UI by kind and file name (custom search attributes the dev
 * server registers from temporal.yaml) and read what a workflow is from its summary.
 */
let stack: Stack;

before(async () => {
  stack = await startStack({ isolated: true });
});
after(async () => {
  await stack?.stop();
});

test('an import is listed by CatalogJobKind and CatalogFileName and carries a summary', async () => {
  const fileName = `operators-${Date.now()}.csv`;
  const form = new FormData();
  form.append('file', new Blob(['sku,name\nop-1,Operator item\n']), fileName);
  const response = await fetch(`${stack.baseUrl}/api/imports`, { method: 'POST', body: form });
  assert.equal(response.status, 202);
  const { jobId } = (await response.json()) as { jobId: string };
  assert.equal((await finalEvent(stack.baseUrl, jobId)).event, 'completed');

  const query = `CatalogJobKind='${jobKindAttribute.import}' AND CatalogFileName='${fileName}'`;
  const listed = await pollUntil(
    'the import to be visible to a search-attribute query',
    async () => {
      const ids: string[] = [];
      for await (const execution of stack.deps.temporal.client.workflow.list({ query })) ids.push(execution.workflowId);
      return ids;
    },
    (ids) => ids.length > 0,
  );
  assert.deepEqual(listed, [`import-${jobId}`], 'the workflow id carries the job kind');
  const description = await stack.deps.temporal.client.workflow.getHandle(jobWorkflowId('import', jobId)).describe();
  assert.equal(await description.staticSummary(), `Import ${fileName} — 0.0 MB`);
});

test('a delete-all is listed by its kind, and a long file name is cut to what a keyword holds', async () => {
  const jobId = await startDeleteAll(stack.baseUrl);
  const query = `CatalogJobKind='${jobKindAttribute.bulkDelete}'`;
  await pollUntil(
    'the delete-all to be listed',
    async () => {
      const ids: string[] = [];
      for await (const execution of stack.deps.temporal.client.workflow.list({ query })) ids.push(execution.workflowId);
      return ids;
    },
    (ids) => ids.includes(`delete-all-${jobId}`),
  );
  const [, fileName] = importWorkflowMetadata(
    'x'.repeat(1_000),
    0,
    systemAttribution('test').actor,
  ).typedSearchAttributes;
  assert.equal(fileName?.value.length, 255);
  await stack.deps.temporal.client.workflow.getHandle(jobWorkflowId('bulk_delete', jobId)).result();
});
