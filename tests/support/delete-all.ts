import type { Database } from '@catalog/db';
import { DELETE_ALL_CONFIRMATION, jobSnapshotSchema } from '@catalog/domain';
import { z } from 'zod';
import type { Api } from './api';

/** Products `${prefix}-1 … ${prefix}-n`, written in one statement. */
export async function seedProducts(db: Database, prefix: string, rows: number): Promise<void> {
  await db.pool.query(
    `insert into products (sku, name, price, active)
     select $1 || '-' || g, 'Seeded ' || g, g % 100, g % 5 <> 0 from generate_series(1, $2::int) g`,
    [prefix, rows],
  );
}

export async function countProducts(db: Database): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from products`);
  return rows[0]?.n ?? 0;
}

/**
 * Holds a row lock on the `nth` product (by id) in a transaction of its own, so a delete-all
 * reaching that row waits there: a deterministic "mid-way" for cancel and kill tests.
 */
export async function holdProduct(db: Database, nth: number): Promise<{ id: number; release: () => Promise<void> }> {
  const client = await db.pool.connect();
  await client.query('begin');
  // Locked by id: FOR UPDATE with OFFSET would lock every row it skips as well.
  const { rows } = await client.query<{ id: string }>(`select id from products order by id offset $1 limit 1`, [
    nth - 1,
  ]);
  await client.query(`select 1 from products where id = $1 for update`, [rows[0]?.id]);
  let released = false;
  return {
    id: Number(rows[0]?.id),
    // Idempotent, so a test's finally can always call it: a lock left held would stall the worker's shutdown.
    release: async () => {
      if (released) return;
      released = true;
      await client.query('commit');
      client.release();
    },
  };
}

export async function deletedSoFar(db: Database, jobId: string): Promise<number> {
  const { rows } = await db.pool.query<{ deleted: string }>(`select deleted from bulk_deletes where job_id = $1`, [
    jobId,
  ]);
  return Number(rows[0]?.deleted ?? 0);
}

export async function startDeleteAll(api: Api): Promise<string> {
  const response = await api.fetch('/api/products', {
    method: 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ confirm: DELETE_ALL_CONFIRMATION }),
  });
  const body: unknown = await response.json();
  if (response.status !== 202) throw new Error(`delete-all answered ${response.status}: ${JSON.stringify(body)}`);
  return z.object({ jobId: z.string() }).parse(body).jobId;
}

export type JobEvent = { event: string; data: z.infer<typeof jobSnapshotSchema> };

/** Reads /api/jobs/:id/events to its end (the server closes it after the final event). */
export async function jobEvents(api: Api, jobId: string): Promise<JobEvent[]> {
  const response = await api.fetch(`/api/jobs/${jobId}/events`);
  const events: JobEvent[] = [];
  for (const block of (await response.text()).split('\n\n')) {
    const lines = block.split('\n');
    const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
    const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
    if (event && data) events.push({ event, data: jobSnapshotSchema.parse(JSON.parse(data)) });
  }
  return events;
}

export const bulkDeleteResult = z.object({ deleted: z.number(), total: z.number(), durationMs: z.number() });
