import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CsvLimits, CsvRecordReader } from './csv-records';

type Row = { row: number; cells: string[] } | { row: number; reason: string; raw: string };
// The configuration's smallest limits: at or above the 1 KB of raw text kept, which is then the same however the file was chunked.
const limits: CsvLimits = { maxCellBytes: 1024, maxRecordBytes: 2048 };

/** Reads `text` fed in chunks of `chunkSize` bytes, so every boundary case is crossed. */
function read(text: string | Buffer, chunkSize = Number.POSITIVE_INFINITY, delimiter = ','): Row[] {
  const rows: Row[] = [];
  const reader = new CsvRecordReader(delimiter, limits, {
    record: (row, cells) => rows.push({ row, cells }),
    unreadable: (row, reason, raw) => rows.push({ row, reason, raw }),
  });
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  for (let i = 0; i < bytes.length; i += Math.min(chunkSize, bytes.length))
    reader.write(bytes.subarray(i, i + chunkSize));
  reader.end();
  return rows;
}

/** The same rows whatever the chunk size: one byte at a time, a few, or all at once. */
function readAll(text: string | Buffer, delimiter = ','): Row[] {
  const whole = read(text, Number.POSITIVE_INFINITY, delimiter);
  for (const size of [1, 2, 3, 7]) assert.deepEqual(read(text, size, delimiter), whole, `chunks of ${size}`);
  return whole;
}

test('quotes, escaped quotes, embedded line breaks, a BOM and every line ending', () => {
  const rows = readAll('\uFEFFsku,name\r\na,"x, ""y""\nz"\rb,plain\n\n\r\nc,"q"tail\n"d",\n');
  assert.deepEqual(rows, [
    { row: 1, cells: ['sku', 'name'] },
    { row: 2, cells: ['a', 'x, "y"\nz'] },
    { row: 3, cells: ['b', 'plain'] },
    { row: 4, cells: ['c', 'qtail'] },
    { row: 5, cells: ['d', ''] },
  ]);
});

test('a quote inside an unquoted field is text, as spreadsheet programs read it', () => {
  assert.deepEqual(readAll('sku,name\nF1,=HYPERLINK("x"),abc\n'), [
    { row: 1, cells: ['sku', 'name'] },
    { row: 2, cells: ['F1', '=HYPERLINK("x")', 'abc'] },
  ]);
});

test('a NUL byte makes exactly one unreadable row with its raw text; the next rows are read', () => {
  const rows = readAll('sku,name\na,b\u0000c\n"q\u0000",x\nd,e');
  assert.deepEqual(rows.slice(1), [
    {
      row: 2,
      reason: 'Row 2: cell 2 contains a NUL byte (binary data, not text). Remove it, or save the file again as CSV.',
      raw: 'a,b\u2400c',
    },
    {
      row: 3,
      reason: 'Row 3: cell 1 contains a NUL byte (binary data, not text). Remove it, or save the file again as CSV.',
      raw: '"q\u2400",x',
    },
    { row: 4, cells: ['d', 'e'] },
  ]);
});

test('a cell or row above the limits is one unreadable row, its raw text cut, and reading goes on', () => {
  const hugeCell = 'y'.repeat(10_000);
  const manyCells = Array.from({ length: 500 }, () => 'abcd').join(',');
  const rows = readAll(`sku,name\na,${hugeCell}\nb,"${hugeCell}\n${hugeCell}"\n${manyCells}\nc,ok\n`);
  assert.equal(rows.length, 5);
  for (const [i, row] of rows.slice(1, 4).entries()) {
    assert.ok('reason' in row, JSON.stringify(row).slice(0, 200));
    assert.equal(row.row, i + 2);
    assert.match(
      row.reason,
      i < 2
        ? /^Row \d: cell 2 is longer than 1024 bytes \(IMPORT_MAX_CELL_BYTES\)\. Shorten it\.$/
        : /row is longer than 2048 bytes/,
    );
    assert.equal(row.raw.length, 1024);
  }
  assert.deepEqual(rows[4], { row: 5, cells: ['c', 'ok'] });
});

test('a quote never closed is one unreadable row at the end of the file', () => {
  assert.deepEqual(readAll('sku,name\na,b\nc,"never closed\nd,e\n').slice(1), [
    { row: 2, cells: ['a', 'b'] },
    {
      row: 3,
      reason: 'Row 3: cell 2 opens a quote that is never closed. Add the closing quote (").',
      raw: 'c,"never closed\nd,e\n',
    },
  ]);
});

test('only delimiters, a semicolon delimiter, a file without a final line break, multi-byte text', () => {
  assert.deepEqual(readAll('sku;name\n;;;\n"ü;日";🚀', ';'), [
    { row: 1, cells: ['sku', 'name'] },
    { row: 2, cells: ['', '', '', ''] },
    { row: 3, cells: ['ü;日', '🚀'] },
  ]);
  assert.deepEqual(readAll(''), []);
  assert.deepEqual(readAll('a'), [{ row: 1, cells: ['a'] }]);
});
