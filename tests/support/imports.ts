import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import {
  type Config,
  type ImportSummary,
  importAcceptedSchema,
  importSummarySchema,
  jobSnapshotSchema,
} from '@catalog/domain';
import { z } from 'zod';
import { compiledCommand } from '../../scripts/lib/server-build.mjs';
import type { Api } from './api';
import { uploadStoreEnv } from './uploads';

export type ServerEvent = { id: string | null; event: string; data: ImportSummary };

/** Uploads `csv` as the multipart field `file`, as a browser would. */
export async function upload(api: Api, csv: string | Uint8Array, fileName = 'catalog.csv'): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([csv]), fileName);
  return api.fetch('/api/imports', { method: 'POST', body: form });
}

export async function startImport(api: Api, csv: string | Uint8Array): Promise<string> {
  const response = await upload(api, csv);
  const body: unknown = await response.json();
  if (response.status !== 202) throw new Error(`upload answered ${response.status}: ${JSON.stringify(body)}`);
  return importAcceptedSchema.parse(body).jobId;
}

export const accepted = async (response: Response) => importAcceptedSchema.parse(await response.json());
export const errorBody = async (response: Response) =>
  z.object({ error: z.object({ code: z.string(), message: z.string() }) }).parse(await response.json());

export async function getImport(api: Api, jobId: string): Promise<ImportSummary> {
  return importSummarySchema.parse(await (await api.fetch(`/api/imports/${jobId}`)).json());
}

export async function listImports(api: Api, query = '') {
  const page = z.object({
    items: z.array(importSummarySchema),
    page: z.number(),
    pageSize: z.number(),
    total: z.number(),
  });
  return page.parse(await (await api.fetch(`/api/imports${query}`)).json());
}

export async function getJob(api: Api, jobId: string) {
  return jobSnapshotSchema.parse(await (await api.fetch(`/api/jobs/${jobId}`)).json());
}

/** Reads an SSE stream (`path`, under the API) to its end (the server closes it after the final event) and parses it. */
export async function readEvents(api: Api, path: string, headers: Record<string, string> = {}): Promise<ServerEvent[]> {
  const response = await api.fetch(path, { headers });
  if (response.status !== 200) throw new Error(`events answered ${response.status}`);
  return parseEvents(await response.text());
}

export function parseEvents(text: string): ServerEvent[] {
  const events: ServerEvent[] = [];
  for (const block of text.split('\n\n')) {
    const lines = block.split('\n');
    const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? null;
    const event = field('event');
    const data = field('data');
    if (event && data) events.push({ id: field('id'), event, data: importSummarySchema.parse(JSON.parse(data)) });
  }
  return events;
}

/** Waits for the import to end and returns its final event. */
export async function finalEvent(api: Api, jobId: string): Promise<ServerEvent> {
  const events = await readEvents(api, `/api/imports/${jobId}/events`);
  const last = events.at(-1);
  if (!last || last.event === 'progress')
    throw new Error(`stream ended without a final event: ${JSON.stringify(events)}`);
  return last;
}

/** Calls `read` every `intervalMs` until `done` holds; fails after `timeoutMs` naming what it waited for. */
export async function pollUntil<T>(
  what: string,
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The compiled worker in a process of its own, so a test can kill -9 it; `env` overrides its settings. */
export function spawnWorker(config: Config, env: Record<string, string> = {}): ChildProcess {
  const root = path.resolve(import.meta.dirname, '../..');
  const child = spawn(process.execPath, compiledCommand('worker'), {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: config.DATABASE_URL,
      TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
      // The API stores uploads by key, so the worker must open the same store (folder or bucket).
      ...uploadStoreEnv(config),
      // Any free port: several workers (and npm start's) may run at once.
      WORKER_HEALTH_PORT: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

/** Rows `prefix-0 … prefix-(n-1)` with a name that says which pass wrote them. */
export function generatedCsv(prefix: string, rows: number, pass: string): string {
  const lines = ['sku,name,description,price,active'];
  for (let i = 0; i < rows; i++)
    lines.push(`${prefix}-${i},Item ${i} ${pass},Description ${i},${(i % 1000) + 0.99},${i % 3 === 0 ? 'no' : 'yes'}`);
  return `${lines.join('\n')}\n`;
}
