import { randomUUID } from 'node:crypto';
import type { Attribution } from '@catalog/domain';
import { workflowTypes } from '@catalog/domain';
import type { ImportColumns, ImportCsvInput } from '@catalog/workflows';
import type { AppDeps } from '../../deps';
import { startJobWorkflow } from '../../jobs/job-actions';
import { importWorkflowMetadata } from '../../jobs/workflow-metadata';

export type ImportFile = { fileName: string; fileSize: number; filePath: string; delimiter: string };

/** Creates the import's job row and starts its workflow: the file by key, how to read its columns, the limits, and whether it waits for review. */
export async function startImport(
  deps: AppDeps,
  by: Attribution,
  file: ImportFile,
  columns: ImportColumns,
  review?: ImportCsvInput['review'],
): Promise<string> {
  const jobId = randomUUID();
  const job = await deps.jobs.create({
    id: jobId,
    kind: 'import',
    fileName: file.fileName,
    fileSize: file.fileSize,
    filePath: file.filePath,
    by,
  });
  const input: ImportCsvInput = {
    jobId,
    filePath: file.filePath,
    fileSize: file.fileSize,
    delimiter: file.delimiter,
    ...columns,
    chunkRows: deps.config.IMPORT_CHUNK_ROWS,
    parallelism: deps.config.IMPORT_PARALLELISM,
    maxCellBytes: deps.config.IMPORT_MAX_CELL_BYTES,
    maxRecordBytes: deps.config.IMPORT_MAX_RECORD_BYTES,
    ...(review ? { review } : {}),
  };
  await startJobWorkflow(deps, job, (workflowId) =>
    deps.temporal.client.workflow.start(workflowTypes.importCsv, {
      workflowId,
      taskQueue: deps.temporal.taskQueue,
      args: [input],
      ...importWorkflowMetadata(file.fileName, file.fileSize, by.actor),
    }),
  );
  deps.metrics.jobsStarted.inc({ kind: 'import' });
  return jobId;
}
