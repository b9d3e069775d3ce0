import { createHash } from 'node:crypto';
import { errors, type ProductFilter, type ProductSort } from '@catalog/domain';
import type { Seek } from './list-sql';

/**
 * The opaque `cursor` of GET /api/products: the boundary row's sort key and id, which way to read,
 * the page number it leads to, and a fingerprint of the filters, sort and page size it was made
 * for (a cursor replayed against other filters would silently show the wrong rows).
 */
export type ListCursor = Seek & { backward: boolean; page: number };

type CursorBody = { k: string; i: number; b: boolean; p: number; f: string };

function isCursorBody(value: unknown): value is CursorBody {
  if (typeof value !== 'object' || value === null) return false;
  const { k, i, b, p, f } = value as Record<string, unknown>;
  const positive = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1;
  return typeof k === 'string' && positive(i) && typeof b === 'boolean' && positive(p) && typeof f === 'string';
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
  const body = { k: cursor.key, i: cursor.id, b: cursor.backward, p: cursor.page, f: fingerprint(shape) };
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
  return { key: parsed.k, id: parsed.i, backward: parsed.b, page: parsed.p };
}

function readBody(raw: string): CursorBody | null {
  try {
    const body: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    return isCursorBody(body) ? body : null;
  } catch {
    return null;
  }
}
