import { createHash } from 'node:crypto';
import { errors, type ProductFilter, type ProductSort } from '@catalog/domain';
import type { Seek } from './list-sql';

/**
 * The opaque `cursor` of GET /api/products: the boundary row's sort key and id, which way to read,
 * the page number it leads to, and a fingerprint of the filters, sort and page size it was made
 * for (a cursor replayed against other filters would silently show the wrong rows).
 * `fromMatches`: the page it came from was read through the GIN matches (few of them), so the
 * next one goes there straight away instead of walking the sort index first.
 */
export type ListCursor = Seek & { backward: boolean; page: number; fromMatches: boolean };

type CursorBody = { k: string; i: number; b: boolean; p: number; f: string; m?: boolean };

function isCursorBody(value: unknown): value is CursorBody {
  if (typeof value !== 'object' || value === null) return false;
  const { k, i, b, p, f, m } = value as Record<string, unknown>;
  const positive = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1;
  return (
    typeof k === 'string' &&
    positive(i) &&
    typeof b === 'boolean' &&
    positive(p) &&
    typeof f === 'string' &&
    (m === undefined || typeof m === 'boolean')
  );
}

type Shape = { filter: ProductFilter; sort: ProductSort; pageSize: number };

function fingerprint({ filter, sort, pageSize }: Shape): string {
  const text = JSON.stringify([
    filter.sku ?? null,
    filter.name ?? null,
    filter.description ?? null,
    filter.q ?? null,
    filter.active ?? null,
    sort.field,
    sort.direction,
    pageSize,
  ]);
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

export function encodeCursor(cursor: ListCursor, shape: Shape): string {
  const body: CursorBody = { k: cursor.key, i: cursor.id, b: cursor.backward, p: cursor.page, f: fingerprint(shape) };
  if (cursor.fromMatches) body.m = true;
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

const restart = 'start again from page 1';

export function decodeCursor(raw: string, shape: Shape): ListCursor {
  const parsed = readBody(raw);
  if (!parsed) {
    throw errors.validation(`The cursor is not one this server made; ${restart}`, {
      issues: [{ parameter: 'cursor', message: 'cannot be read' }],
    });
  }
  if (parsed.f !== fingerprint(shape)) {
    throw errors.validation(`The cursor belongs to other filters; ${restart}`, {
      issues: [{ parameter: 'cursor', message: 'was made for other filters, sort or page size' }],
    });
  }
  // The fingerprint is no signature (anyone can compute it), so the key must be checked before
  // PostgreSQL casts it: an edited cursor is the client's mistake, a 400, never a 500.
  if (!keyShapes[shape.sort.field](parsed.k)) {
    throw errors.validation(`The cursor is not one this server made; ${restart}`, {
      issues: [{ parameter: 'cursor', message: 'holds a sort key of the wrong form' }],
    });
  }
  return { key: parsed.k, id: parsed.i, backward: parsed.b, page: parsed.p, fromMatches: parsed.m === true };
}

/** What `sort_key` looks like for each sort (see list-sql.ts): text without NUL, a price, or a timestamp as text. */
const text = (key: string) => !key.includes('\u0000');
const keyShapes: Record<ProductSort['field'], (key: string) => boolean> = {
  sku: text,
  name: text,
  price: (key) => /^\d{1,14}(\.\d{1,2})?$/.test(key),
  updatedAt: (key) => /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)$/.test(key),
};

function readBody(raw: string): CursorBody | null {
  try {
    const body: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    return isCursorBody(body) ? body : null;
  } catch {
    return null;
  }
}
