/**
 * The first records of a delimited text, for the mapping screen's preview: quoted fields (with
 * doubled quotes and line breaks inside), CRLF or LF line ends, a leading byte order mark. A
 * record cut off by the end of the text is left out unless the text is the `whole` file.
 */
export function firstRecords(text: string, delimiter: string, limit: number, whole = false): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const endRecord = (): void => {
    record.push(field);
    field = '';
    // Blank lines carry no record, as the server's parser skips them.
    if (record.length > 1 || record[0] !== '') records.push(record);
    record = [];
  };

  while (index < text.length && records.length < limit) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
      index += 1;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (text.startsWith(delimiter, index)) {
      record.push(field);
      field = '';
      index += delimiter.length;
      continue;
    } else if (char === '\n' || char === '\r') {
      endRecord();
      if (char === '\r' && text[index + 1] === '\n') index += 1;
    } else field += char;
    index += 1;
  }
  if (whole && !quoted && records.length < limit && (record.length > 0 || field !== '')) endRecord();
  return records;
}

/** How much of the file the preview reads: the server samples the same 64 KB for its suggestion. */
export const PREVIEW_BYTES = 64 * 1024;

/** The file's first rows after its header line, read in the browser from the file the person chose. */
export async function readFirstRows(file: Blob, delimiter: string, rows: number): Promise<string[][]> {
  const text = await file.slice(0, PREVIEW_BYTES).text();
  return firstRecords(text, delimiter, rows + 1, file.size <= PREVIEW_BYTES).slice(1);
}
