import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { importTables } from '@catalog/db';
import { createRowMapper, failureTypes, IMPORT_LIMIT_DEFAULTS, type MappedRow, signalNames } from '@catalog/domain';
import { isUploadNotFound, type UploadStore } from '@catalog/uploads';
import type { ImportCsvInput, StagingProgress } from '@catalog/workflows';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { from as copyFrom } from 'pg-copy-streams';
import type { JobActivityDeps } from '../deps';
import { inTransaction } from '../transaction';
import { mappedLine, stagedLine, unreadableLine } from './copy-row';
import { CsvRecordReader } from './csv-records';
import { Utf8Check } from './utf8-check';

export type StageResult = StagingProgress;

const REPORT_EVERY_MS = 500;
const COPY_BATCH_CHARS = 1 << 18;

/**
 * Streams the uploaded file through the CSV reader into the job's staging table with one COPY, in one
 * transaction: a retry (worker killed, database blip) starts over on a clean table, so the step is
 * idempotent. Every record is numbered in file order (the header is row 1), valid or not.
 */
export function createStageImport({ db, temporal, logger, uploads }: JobActivityDeps) {
  return async function stageImport(input: ImportCsvInput): Promise<StageResult> {
    const context = Context.current();
    const { staged } = importTables(input.jobId);
    const counts: StageResult = { bytesRead: 0, rowsParsed: 0, rowsValid: 0, rowsInvalid: 0, rowsSkipped: 0 };
    const workflowId = context.info.workflowExecution?.workflowId;
    if (!workflowId) throw new Error('stageImport runs only inside ImportCsvWorkflow');
    const workflow = temporal.workflow.getHandle(workflowId);
    const file = await openUpload(uploads, input.filePath);

    const report = () => {
      context.heartbeat(counts);
      workflow.signal<[StagingProgress]>(signalNames.stagingProgress, { ...counts }).catch((error: unknown) => {
        logger.warn({ err: error, jobId: input.jobId }, 'could not signal staging progress');
      });
    };
    const timer = setInterval(report, REPORT_EVERY_MS);

    try {
      await inTransaction(db, async (client) => {
        await client.query(`drop table if exists ${staged}`);
        await client.query(
          `create unlogged table ${staged} (row_no bigint not null, sku text, name text, description text,
            price text, active text, error_column text, error_reason text, raw text)`,
        );
        // FREEZE (allowed: the table is new in this transaction) writes the rows already frozen, so
        // the first scan of the table (plan's) does not dirty and write every page again to set hint bits.
        const copy = client.query(copyFrom(`copy ${staged} from stdin with (freeze)`));
        await pipeline(file, stagedLines(input, counts), copy, {
          signal: context.cancellationSignal,
        });
      });
      report();
      return counts;
    } finally {
      clearInterval(timer);
      // Closes the file (or the S3 response) if the transaction failed before the pipeline took it over.
      file.destroy();
    }
  };
}

/** The upload as a stream; a missing one will not come back, so retrying cannot help. */
async function openUpload(uploads: UploadStore, key: string) {
  try {
    return await uploads.openRead(key);
  } catch (error) {
    if (!isUploadNotFound(error)) throw error;
    throw ApplicationFailure.create({
      message: 'The uploaded file is no longer in the upload store. Upload it again.',
      type: failureTypes.badFile,
      nonRetryable: true,
      cause: error,
    });
  }
}

/**
 * Turns the file's bytes into COPY text: a UTF-8 check (a bad file fails the import for good, naming
 * the row), then the CSV reader, whose callbacks run synchronously in file order. Each row becomes
 * a COPY line in a local buffer that leaves only every ~256 KB: pushing half a million small
 * chunks through the stream would cost more than reading them.
 */
function stagedLines(input: ImportCsvInput, counts: StageResult): Transform {
  let buffer = '';
  const take = () => {
    const lines = buffer;
    buffer = '';
    return lines;
  };
  const limits = {
    maxCellBytes: input.maxCellBytes ?? IMPORT_LIMIT_DEFAULTS.maxCellBytes,
    maxRecordBytes: input.maxRecordBytes ?? IMPORT_LIMIT_DEFAULTS.maxRecordBytes,
  };
  const toLine = lineMaker(input);
  const reader = new CsvRecordReader(input.delimiter, limits, {
    // Row 1 is the header, checked at upload.
    record(rowNo, cells) {
      if (rowNo === 1) return;
      counts.rowsParsed++;
      const { line, outcome } = toLine(rowNo, cells);
      if (outcome === 'valid') counts.rowsValid++;
      else if (outcome === 'invalid') counts.rowsInvalid++;
      else counts.rowsSkipped = (counts.rowsSkipped ?? 0) + 1;
      buffer += line;
    },
    unreadable(rowNo, reason, raw) {
      if (rowNo === 1) return;
      counts.rowsParsed++;
      counts.rowsInvalid++;
      buffer += unreadableLine(rowNo, reason, raw);
    },
  });
  const utf8 = new Utf8Check();
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const bad = utf8.write(chunk);
      if (bad !== -1) {
        // The rows before the bad byte are read, so the reader knows which row holds it.
        reader.write(chunk.subarray(0, bad));
        callback(
          badFile(
            `Row ${reader.rowsRead + 1} is not valid UTF-8 (byte ${counts.bytesRead + bad} of the file). ` +
              'Save the file as "CSV UTF-8" and upload it again.',
          ),
        );
        return;
      }
      counts.bytesRead += chunk.length;
      reader.write(chunk);
      if (buffer.length >= COPY_BATCH_CHARS) callback(null, take());
      else callback();
    },
    flush(callback) {
      if (!utf8.end()) {
        callback(
          badFile(
            `The file ends in the middle of a character in row ${reader.rowsRead + 1}: the upload was cut short. ` +
              'Upload the complete file again.',
          ),
        );
        return;
      }
      reader.end();
      callback(null, take() || undefined);
    },
  });
}

type LineMaker = (rowNo: number, cells: string[]) => { line: string; outcome: MappedRow['kind'] };

/** Rows read by header name (files shaped like ours), or through the import's mapping. */
function lineMaker(input: ImportCsvInput): LineMaker {
  const { mapping, columns } = input;
  if (mapping) {
    const mapRow = createRowMapper(mapping);
    return (rowNo, cells) => {
      const row = mapRow(cells);
      return { line: mappedLine(rowNo, row), outcome: row.kind };
    };
  }
  if (!columns) throw new Error('an import names its columns or carries a mapping');
  return (rowNo, cells) => {
    const { line, valid } = stagedLine(rowNo, cells, columns);
    return { line, outcome: valid ? 'valid' : 'invalid' };
  };
}

/** Retrying cannot change the bytes of the file, so a bad file fails the import at once. */
function badFile(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, failureTypes.badFile);
}
