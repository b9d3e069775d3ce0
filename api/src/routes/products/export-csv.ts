import { Readable } from 'node:stream';
import { type Database, type ExportRow, exportProductRows } from '@catalog/db';
import { csvTextCell, type ProductFilter } from '@catalog/domain';

/** The importer's own header, so an export can be uploaded again as it is. */
const HEADER = 'sku,name,description,price,active\r\n';

function line(row: ExportRow): string {
  return [
    csvTextCell(row.sku),
    csvTextCell(row.name),
    csvTextCell(row.description),
    row.price ?? '',
    row.active ? 'true' : 'false',
  ].join(',');
}

/**
 * The matching products as CSV in the exact format the importer reads: re-importing the file
 * leaves every product unchanged. Streamed batch by batch with backpressure (constant memory).
 */
export function productsCsvStream(db: Pick<Database, 'pool'>, filter: ProductFilter): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield HEADER;
    for await (const rows of exportProductRows(db, filter)) yield `${rows.map(line).join('\r\n')}\r\n`;
  }
  return Readable.from(lines(), { objectMode: false });
}
