import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { failureTypes, type ImportCsvInput, type StagingProgress, stagingProgressSignal } from '@catalog/workflows';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { parse } from 'csv-parse';
import { from as copyFrom } from 'pg-copy-streams';
import type { ActivityDeps } from '../deps';
import { inTransaction } from '../transaction';
import { stagedLine, unreadableLine } from './copy-row';
import { importTables } from './tables';

export type StageResult = StagingProgress;

const REPORT_EVERY_MS = 500;
const COPY_BATCH_CHARS = 1 << 18;

/**
 * Streams the uploaded file through csv-parse into the job's staging table with one COPY, in one
 * transaction: a retry (worker killed, database blip) starts over on a clean table, so the step is
 * idempotent. Every record is numbered in file order (the header is row 1), valid or not.
 */
export function createStageImport({ db, temporal, logger }: ActivityDeps) {
  return async function stageImport(input: ImportCsvInput): Promise<StageResult> {
    const context = Context.current();
    const { staged } = importTables(input.jobId);
    const counts: StageResult = { bytesRead: 0, rowsParsed: 0, rowsValid: 0, rowsInvalid: 0 };
    const workflowId = context.info.workflowExecution?.workflowId;
    if (!workflowId) throw new Error('stageImport runs only inside ImportCsvWorkflow');
    const workflow = temporal.workflow.getHandle(workflowId);
    // Small reads keep each synchronous parse slice short, so heartbeats and progress stay on time.
    const file = createReadStream(input.filePath, { highWaterMark: 1 << 18 });

    const report = () => {
      counts.bytesRead = file.bytesRead;
      context.heartbeat(counts);
      workflow.signal(stagingProgressSignal, { ...counts }).catch((error: unknown) => {
        logger.warn({ err: error, jobId: input.jobId }, 'could not signal staging progress');
      });
    };
    const timer = setInterval(report, REPORT_EVERY_MS);
    const { parser, takeBuffered } = csvToStagedLines(input, counts);

    try {
      await inTransaction(db, async (client) => {
        await client.query(`drop table if exists ${staged}`);
        await client.query(
          `create unlogged table ${staged} (row_no bigint not null, sku text, name text, description text,
            price text, active text, error_column text, error_reason text)`,
        );
        const copy = client.query(copyFrom(`copy ${staged} from stdin`));
        await pipeline(file, utf8Guard(), parser, copyText(takeBuffered), copy, { signal: context.cancellationSignal });
      });
      counts.bytesRead = file.bytesRead;
      report();
      return counts;
    } finally {
      clearInterval(timer);
      // Closes the file if the transaction failed before the pipeline took it over.
      file.destroy();
    }
  };
}

/** Fails the import with a message a person can act on when the bytes are not UTF-8. */
function utf8Guard(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  const fail = () =>
    ApplicationFailure.nonRetryable(
      `The file is not valid UTF-8 (near byte ${offset}). Save it as "CSV UTF-8" and upload it again.`,
      failureTypes.badFile,
    );
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        callback(fail());
        return;
      }
      offset += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      try {
        decoder.decode();
        callback();
      } catch {
        callback(fail());
      }
    },
  });
}

/**
 * csv-parse calls `on_record` and `on_skip` synchronously in file order, so one counter numbers
 * every record, including those it cannot read. Each record becomes a COPY line in a local buffer
 * that leaves the parser only every ~256 KB: pushing half a million small objects through the
 * stream would cost more than parsing them.
 */
function csvToStagedLines(input: ImportCsvInput, counts: StageResult) {
  let recordNo = 0;
  let buffer = '';
  const takeBuffered = () => {
    const lines = buffer;
    buffer = '';
    return lines;
  };
  const parser = parse({
    delimiter: input.delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error: Error | undefined) => {
      recordNo++;
      counts.rowsParsed++;
      counts.rowsInvalid++;
      buffer += unreadableLine(recordNo, error?.message ?? 'the row could not be read as CSV');
      return undefined;
    },
    on_record: (record) => {
      recordNo++;
      if (recordNo === 1) return null;
      counts.rowsParsed++;
      const { line, valid } = stagedLine(recordNo, record, input.columns);
      if (valid) counts.rowsValid++;
      else counts.rowsInvalid++;
      buffer += line;
      // The parser's typings want a record back; a one-element array carries a batch of COPY text.
      return buffer.length < COPY_BATCH_CHARS ? null : [takeBuffered()];
    },
  });
  return { parser, takeBuffered };
}

/** Unwraps the parser's batches into text for COPY, and adds what is still buffered at the end. */
function copyText(takeRemaining: () => string): Transform {
  return new Transform({
    writableObjectMode: true,
    transform([lines]: string[], _encoding, callback) {
      callback(null, lines);
    },
    flush(callback) {
      const rest = takeRemaining();
      callback(null, rest || undefined);
    },
  });
}
