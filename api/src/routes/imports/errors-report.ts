import { pipeline, type Readable, Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { csvTextCell } from '@catalog/domain';
import type { Pool } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

const HEADER = 'row,column,reason,sku,name,description,price,active,raw\n';
/** COPY text format escapes; `\N` (NULL) has its own branch. */
const COPY_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/**
 * Streams the error report straight out of PostgreSQL with COPY … TO STDOUT, in constant memory
 * however many rows failed. The cells are the uploader's own text, so each is written as the
 * product export writes cells (`csvTextCell`): a cell starting like a formula cannot run in the
 * spreadsheet of whoever opens the report. `jobId` is a UUID checked at the edge, so inlining it is safe.
 */
export async function streamImportErrors(pool: Pool, jobId: string): Promise<Readable> {
  const client = await pool.connect();
  const stream = client.query(
    copyTo(`copy (
      select row_no, column_name, reason, sku, name, description, price, active, raw
      from import_errors where job_id = '${jobId}' order by row_no
    ) to stdout`),
  );
  let released = false;
  let ended = false;
  // A connection left mid-COPY (the client went away) must be destroyed, not returned to the pool.
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    client.release(error);
  };
  stream.on('end', () => {
    ended = true;
    release();
  });
  stream.on('error', (error: Error) => release(error));
  stream.on('close', () => release(ended ? undefined : new Error('error report stream closed early')));
  const report = copyTextToCsv();
  // Errors reach the client through `report`; destroying `report` (the client went away) destroys the COPY stream.
  pipeline(stream, report, () => undefined);
  return report;
}

/** COPY text lines (tab-separated, backslash-escaped) to CSV lines; the first column is the row number. */
function copyTextToCsv(): Transform {
  let carry = '';
  // A chunk may end inside a multi-byte character.
  const decoder = new StringDecoder('utf8');
  return new Transform({
    construct(callback) {
      this.push(HEADER);
      callback();
    },
    transform(chunk: Buffer, _encoding, callback) {
      const lines = (carry + decoder.write(chunk)).split('\n');
      carry = lines.pop() ?? '';
      callback(null, lines.map(csvLine).join(''));
    },
    flush(callback) {
      const rest = carry + decoder.end();
      callback(null, rest ? csvLine(rest) : undefined);
    },
  });
}

function csvLine(copyLine: string): string {
  const [rowNo = '', ...cells] = copyLine.split('\t');
  return `${[rowNo, ...cells.map((cell) => (cell === '\\N' ? '' : csvTextCell(unescapeCopy(cell))))].join(',')}\n`;
}

function unescapeCopy(cell: string): string {
  return cell.includes('\\') ? cell.replace(/\\(.)/g, (_, char: string) => COPY_ESCAPES[char] ?? char) : cell;
}
