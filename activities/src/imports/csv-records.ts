/**
 * A streaming CSV reader built for untrusted uploads: every record comes out exactly once, numbered
 * in file order (the header is row 1), either as its cells or as one unreadable row with the reason
 * and the start of its raw text. Memory stays bounded by `maxRecordBytes` plus one chunk, however
 * long a cell is. csv-parse cannot do this: past `max_record_size` with `skip_records_with_error` it
 * drops the rest of the chunk, and so silently loses the good records that follow.
 *
 * Reading rules, as spreadsheet programs read files: a field is quoted only when it starts with `"`
 * (`""` inside is one quote; text after the closing quote is kept as it is); a quote anywhere else
 * is literal text; records end at CRLF, LF or CR outside quotes; blank lines are skipped; a UTF-8
 * BOM at the start of the file is dropped.
 */
export type CsvLimits = { maxCellBytes: number; maxRecordBytes: number };

export type CsvSink = {
  record(rowNo: number, cells: string[]): void;
  unreadable(rowNo: number, reason: string, raw: string): void;
};

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;
/** How much of an unreadable record the error report keeps. */
const RAW_KEEP_BYTES = 1024;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

enum Field {
  Start,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: the next byte says whether it was `""` or the closing quote. */
  QuoteInQuoted,
  /** After the closing quote, up to the delimiter. */
  Closed,
}

/** `raw` is filled in when the record ends, unless its bytes were dropped before that. */
type Problem = { reason: string; raw?: string };

export class CsvRecordReader {
  private readonly delimiter: number;
  /** Bytes of the record being read, from its first byte (only while it is within the limits). */
  private pending: Buffer = Buffer.alloc(0);
  /** Where scanning resumes in `pending`. */
  private scanned = 0;
  private state = Field.Start;
  private fieldStart = 0;
  private closeAt = -1;
  /** The quoted field being read holds a `""`, so its text needs unescaping. */
  private doubled = false;
  private cells: string[] = [];
  private problem: Problem | null = null;
  /** The record broke a limit: its bytes are dropped until it ends; only quote state is followed. */
  private skipping = false;
  private atFileStart = true;
  private rowNo = 0;

  constructor(
    delimiter: string,
    private readonly limits: CsvLimits,
    private readonly sink: CsvSink,
  ) {
    if (Buffer.byteLength(delimiter) !== 1)
      throw new Error(`the delimiter must be one byte, got ${JSON.stringify(delimiter)}`);
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Records completed so far, the header included. */
  get rowsRead(): number {
    return this.rowNo;
  }

  write(chunk: Buffer): void {
    const wasSkipping = this.skipping;
    let data = wasSkipping ? chunk : this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    if (this.atFileStart) {
      if (data.length < BOM.length) {
        this.pending = data;
        return;
      }
      this.atFileStart = false;
      if (data.subarray(0, BOM.length).equals(BOM)) data = data.subarray(BOM.length);
    }
    const rest = this.scan(data, wasSkipping ? 0 : this.scanned);
    if (this.skipping) return;
    // fieldStart and closeAt count from the record's start, which is where `pending` starts.
    this.pending = data.subarray(rest);
    this.scanned = this.pending.length;
    const cellBytes = this.pending.length - this.fieldStart;
    if (cellBytes > this.limits.maxCellBytes) this.startSkipping(this.cellTooLarge());
    else if (this.pending.length > this.limits.maxRecordBytes) this.startSkipping(this.recordTooLarge());
  }

  end(): void {
    if (this.atFileStart) {
      this.atFileStart = false;
      const data = this.pending;
      this.pending = Buffer.alloc(0);
      this.scanned = 0;
      if (data.length) this.write(data);
    }
    const data = this.pending;
    if (this.state === Field.Quoted) {
      this.problem ??= {
        reason: `cell ${this.cells.length + 1} opens a quote that is never closed. Add the closing quote (")`,
      };
    }
    if (this.skipping || this.cells.length > 0 || data.length > 0) {
      this.endField(data, 0, data.length);
      this.endRecord(data, 0, data.length);
    }
  }

  /** Scans `data` from `from`; returns where the unfinished record starts (data.length when none is). */
  private scan(data: Buffer, from: number): number {
    let recordStart = 0;
    const delimiter = this.delimiter;
    // Most of a file is quoted text (descriptions): without a NUL to report, the inside of a quoted
    // field is skipped to its next quote with one native search instead of a byte-by-byte walk.
    const nulFree = data.indexOf(NUL, from) === -1;
    for (let i = from; i < data.length; i++) {
      const byte = data[i];
      switch (this.state) {
        case Field.Start:
          if (byte === QUOTE) {
            this.state = Field.Quoted;
            continue;
          }
          this.state = Field.Unquoted;
          break;
        case Field.Quoted:
          if (nulFree) {
            const quote = data.indexOf(QUOTE, i);
            if (quote === -1) {
              i = data.length;
              continue;
            }
            i = quote;
            this.state = Field.QuoteInQuoted;
          } else if (byte === QUOTE) this.state = Field.QuoteInQuoted;
          else if (byte === NUL) this.nulFound();
          continue;
        case Field.QuoteInQuoted:
          if (byte === QUOTE) {
            this.doubled = true;
            this.state = Field.Quoted;
            continue;
          }
          this.closeAt = i - 1 - recordStart;
          this.state = Field.Closed;
          break;
        default:
          break;
      }
      // Unquoted, Closed, or the first byte of an unquoted field.
      if (byte === delimiter) {
        this.endField(data, recordStart, i - recordStart);
        this.state = Field.Start;
        this.fieldStart = i + 1 - recordStart;
        this.closeAt = -1;
      } else if (byte === LF || byte === CR) {
        const blank = this.cells.length === 0 && i === recordStart && !this.skipping && this.problem === null;
        if (!blank) {
          this.endField(data, recordStart, i - recordStart);
          this.endRecord(data, recordStart, i - recordStart);
        }
        recordStart = i + 1;
        this.state = Field.Start;
        this.fieldStart = 0;
        this.closeAt = -1;
      } else if (byte === NUL) {
        this.nulFound();
      }
    }
    return recordStart;
  }

  private nulFound(): void {
    this.problem ??= {
      reason: `cell ${this.cells.length + 1} contains a NUL byte (binary data, not text). Remove it, or save the file again as CSV`,
    };
  }

  /** `end` (like fieldStart and closeAt) counts from `base`, where the record starts in `data`. */
  private endField(data: Buffer, base: number, end: number): void {
    const doubled = this.doubled;
    this.doubled = false;
    if (this.skipping) return;
    if (end - this.fieldStart > this.limits.maxCellBytes) {
      this.problem ??= this.cellTooLarge();
      return;
    }
    const start = base + this.fieldStart;
    const stop = base + end;
    if (this.state === Field.Quoted || this.state === Field.QuoteInQuoted || this.state === Field.Closed) {
      const close =
        this.state === Field.Closed ? base + this.closeAt : this.state === Field.QuoteInQuoted ? stop - 1 : stop;
      const text = data.toString('utf8', start + 1, close);
      const inner = doubled ? text.replaceAll('""', '"') : text;
      this.cells.push(close + 1 < stop ? inner + data.toString('utf8', close + 1, stop) : inner);
    } else {
      this.cells.push(data.toString('utf8', start, stop));
    }
  }

  private endRecord(data: Buffer, base: number, end: number): void {
    this.rowNo++;
    if (!this.skipping && !this.problem && end > this.limits.maxRecordBytes) this.problem = this.recordTooLarge();
    const problem = this.problem;
    if (problem) {
      this.sink.unreadable(
        this.rowNo,
        `Row ${this.rowNo}: ${problem.reason}.`,
        problem.raw ?? raw(data, base, base + end),
      );
    } else this.sink.record(this.rowNo, this.cells);
    this.cells = [];
    this.problem = null;
    this.skipping = false;
  }

  private startSkipping(problem: Problem): void {
    this.problem = { ...(this.problem ?? problem), raw: raw(this.pending, 0, this.pending.length) };
    this.skipping = true;
    this.pending = Buffer.alloc(0);
    this.scanned = 0;
  }

  private cellTooLarge(): Problem {
    return {
      reason: `cell ${this.cells.length + 1} is longer than ${this.limits.maxCellBytes} bytes (IMPORT_MAX_CELL_BYTES). Shorten it`,
    };
  }

  private recordTooLarge(): Problem {
    return {
      reason: `the row is longer than ${this.limits.maxRecordBytes} bytes (IMPORT_MAX_RECORD_BYTES). Shorten its cells or split it`,
    };
  }
}

/**
 * The start of a record's raw text for the error report. PostgreSQL text cannot hold NUL, so it is
 * shown as ␀; a character cut at the end becomes U+FFFD.
 */
function raw(data: Buffer, start: number, end: number): string {
  return data.toString('utf8', start, Math.min(end, start + RAW_KEEP_BYTES)).replaceAll('\0', '\u2400');
}
