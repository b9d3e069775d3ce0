import type { ActorRef } from '@catalog/domain';
import { catalogSearchAttributes, jobKindAttribute } from '@catalog/workflows';

/** Keyword search attributes are capped by the server; a file name longer than this is cut. */
const MAX_KEYWORD_CHARS = 255;

const megabytes = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

/**
 * Who asked for the job, in the workflow's memo: shown on its page in the Temporal UI. A memo, not
 * a search attribute, so starts never depend on a namespace having one more attribute registered.
 */
const requestedBy = (actor: ActorRef) => ({ memo: { requestedBy: actor.label, requestedByKind: actor.kind } });

/**
 * What an operator sees of a job in the Temporal UI besides its id: search attributes to list jobs
 * by kind and file, a one-line summary and who asked for it on the workflow's page.
 */
export function importWorkflowMetadata(fileName: string, bytes: number, actor: ActorRef) {
  return {
    ...requestedBy(actor),
    typedSearchAttributes: [
      { key: catalogSearchAttributes.jobKind, value: jobKindAttribute.import },
      { key: catalogSearchAttributes.fileName, value: fileName.slice(0, MAX_KEYWORD_CHARS) },
    ],
    staticSummary: `Import ${fileName} — ${megabytes(bytes)}`,
  };
}

export function deleteAllWorkflowMetadata(actor: ActorRef) {
  return {
    ...requestedBy(actor),
    typedSearchAttributes: [{ key: catalogSearchAttributes.jobKind, value: jobKindAttribute.bulkDelete }],
    staticSummary: 'Delete all products',
  };
}

export function undoWorkflowMetadata(fileName: string, actor: ActorRef) {
  return {
    ...requestedBy(actor),
    typedSearchAttributes: [
      { key: catalogSearchAttributes.jobKind, value: jobKindAttribute.undo },
      { key: catalogSearchAttributes.fileName, value: fileName.slice(0, MAX_KEYWORD_CHARS) },
    ],
    staticSummary: `Undo the import of ${fileName}`,
  };
}
