import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createOpenApiDocument } from './document';

/**
 * `npm run openapi -- <file>`: writes the OpenAPI document to a file for linters and client
 * generators. Builds only the document: no configuration, no database, no Temporal.
 */
const target = process.argv[2];
if (!target) {
  console.error('usage: write-document.ts <output file>');
  process.exitCode = 2;
} else {
  await mkdir(path.dirname(path.resolve(target)), { recursive: true });
  await writeFile(target, `${JSON.stringify(createOpenApiDocument(), null, 2)}\n`);
}
