import { catalogSearchAttributes, jobKindAttribute } from '@catalog/workflows';

/** Keyword search attributes are capped by the server; a file name longer than this is cut. */
const MAX_KEYWORD_CHARS = 255;

const megabytes = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

/**
 * What an operator sees of a job in the Temporal UI besides its id: search attributes to list jobs
 * by kind and file, and a one-line summary on the workflow's page.
 */
export function importWorkflowMetadata(fileName: string, bytes: number) {
  return {
    typedSearchAttributes: [
      { key: catalogSearchAttributes.jobKind, value: jobKindAttribute.import },
      { key: catalogSearchAttributes.fileName, value: fileName.slice(0, MAX_KEYWORD_CHARS) },
    ],
    staticSummary: `Import ${fileName} — ${megabytes(bytes)}`,
  };
}

export function deleteAllWorkflowMetadata() {
  return {
    typedSearchAttributes: [{ key: catalogSearchAttributes.jobKind, value: jobKindAttribute.bulkDelete }],
    staticSummary: 'Delete all products',
  };
}

export function undoWorkflowMetadata(fileName: string) {
  return {
    typedSearchAttributes: [
      { key: catalogSearchAttributes.jobKind, value: jobKindAttribute.undo },
      { key: catalogSearchAttributes.fileName, value: fileName.slice(0, MAX_KEYWORD_CHARS) },
    ],
    staticSummary: `Undo the import of ${fileName}`,
  };
}
