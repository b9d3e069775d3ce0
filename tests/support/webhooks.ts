import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createWebhookWorker,
  LaneBell,
  type OutboxDispatcher,
  startOutboxDispatcher,
} from '@catalog/activities/create-worker';
import { prebuiltWorkflowBundle } from '@catalog/activities/workflow-bundle';
import { appendEvent, type Database } from '@catalog/db';
import {
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookMessageLog,
  type WebhookMessageState,
  webhookDeliverySchema,
  webhookEndpointSchema,
  webhookMessageLogSchema,
  webhookSecretSchema,
  webhookSettings,
  webhookTaskQueue,
} from '@catalog/domain';
import { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import type { Api } from './api';
import { pollUntil } from './imports';
import type { Stack } from './stack';

export type ReceivedRequest = { headers: Record<string, string>; body: string; at: number };
/** What the receiver answers. A responder returning a promise holds the request open until it settles. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string };
export type Responder = (request: ReceivedRequest, index: number) => Reply | Promise<Reply>;

export type Receiver = {
  url: string;
  received: ReceivedRequest[];
  respond: (responder: Responder) => void;
  /** Resolves once `count` requests have arrived. */
  waitFor: (count: number, timeoutMs?: number) => Promise<ReceivedRequest[]>;
  close: () => Promise<void>;
};

/**
 * A real HTTP receiver on loopback that records every request; answers 200 until told otherwise.
 * `port` brings a receiver back on the URL of one that was closed.
 */
export async function startReceiver({ port: wanted = 0 }: { port?: number } = {}): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  let responder: Responder = () => ({ status: 200, body: 'ok' });
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry: ReceivedRequest = {
        headers: flatHeaders(request),
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      received.push(entry);
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
      Promise.resolve(responder(entry, received.length - 1)).then(
        (reply) => {
          response.writeHead(reply.status, reply.headers ?? {});
          response.end(reply.body ?? '');
        },
        () => response.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(wanted, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    respond: (next) => {
      responder = next;
    },
    waitFor: (count, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        if (received.length >= count) return resolve(received.slice());
        const timer = setTimeout(
          () => reject(new Error(`receiver got ${received.length} of ${count} requests within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(received.slice());
          },
        });
      }),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function flatHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** Verifies a received request with the Standard Webhooks library; returns the parsed message or throws. */
export function verifyWith(secret: string, request: ReceivedRequest): unknown {
  return new Webhook(secret).verify(request.body, request.headers);
}

export type WebhookRuntime = { worker: Worker; dispatcher: OutboxDispatcher; stop: () => Promise<void> };

/**
 * What the worker process runs for webhooks (the lane worker on its own task queue, and the outbox
 * dispatcher), in this process, for a stack. Stop it before the stack.
 */
export async function startWebhookRuntime(
  stack: Stack,
  options: {
    dispatcher?: boolean;
    overrideActivities?: Parameters<typeof createWebhookWorker>[0]['overrideActivities'];
  } = {},
): Promise<WebhookRuntime> {
  const { config, deps } = stack;
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const bell = new LaneBell();
  const worker = await createWebhookWorker({
    bell,
    connection,
    temporal: deps.temporal.client,
    db: deps.db,
    logger: deps.logger,
    secrets: deps.secrets,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    settings: webhookSettings(config),
    workflowBundle: await prebuiltWorkflowBundle(),
    ...(options.overrideActivities ? { overrideActivities: options.overrideActivities } : {}),
  });
  const running = worker.run();
  const dispatcher =
    options.dispatcher === false
      ? { stop: async () => undefined }
      : startOutboxDispatcher({
          db: deps.db,
          client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
          taskQueue: webhookTaskQueue(config.TEMPORAL_TASK_QUEUE),
          laneBatch: config.WEBHOOK_LANE_BATCH,
          bell,
          logger: deps.logger,
          sweepEveryMs: 1_000,
        });
  return {
    worker,
    dispatcher,
    stop: async () => {
      await dispatcher.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}

export async function createWebhook(
  api: Api,
  body: { url: string; name?: string; events?: WebhookEndpoint['events']; enabled?: boolean },
): Promise<WebhookEndpoint> {
  const response = await api.fetch('/api/webhooks', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'test receiver', ...body }),
  });
  if (response.status !== 201)
    throw new Error(`POST /api/webhooks answered ${response.status}: ${await response.text()}`);
  return webhookEndpointSchema.parse(await response.json());
}

export async function readSecret(api: Api, endpointId: string): Promise<string> {
  const response = await api.fetch(`/api/webhooks/${endpointId}/secret`);
  return webhookSecretSchema.parse(await response.json()).secret;
}

/**
 * A product change committed with its event in one transaction, as the API writes it, from a
 * connection of its own that is closed right after the commit (the API "dying" just then).
 * Returns the event id.
 */
export async function commitProductUpdate(
  db: Database,
  name = `Product ${randomBytes(3).toString('hex')}`,
): Promise<string> {
  const sku = `wh-${randomBytes(6).toString('hex')}`;
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ id: string; version: number }>(
      `insert into products (sku, name) values ($1, $2) returning id, version`,
      [sku, name],
    );
    const product = rows[0];
    if (!product) throw new Error('the product insert returned no row');
    const eventId = await appendEvent(client, 'product.updated', {
      id: Number(product.id),
      sku,
      name,
      version: product.version,
    });
    await client.query('commit');
    return eventId;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release(true);
  }
}

/** The endpoint's delivery log through the API, newest first. */
export async function deliveryLog(api: Api, endpointId: string): Promise<WebhookDelivery[]> {
  const response = await api.fetch(`/api/webhooks/${endpointId}/deliveries?pageSize=100`);
  return z.object({ items: z.array(webhookDeliverySchema) }).parse(await response.json()).items;
}

/** The endpoint's messages through the API, newest first (one per event). */
export async function messageLog(api: Api, endpointId: string): Promise<WebhookMessageLog[]> {
  const response = await api.fetch(`/api/webhooks/${endpointId}/messages?pageSize=100`);
  return z.object({ items: z.array(webhookMessageLogSchema) }).parse(await response.json()).items;
}

/** Waits until the event's message to the endpoint is in one of `states`; a final state is final, so counts read after it are too. */
export async function waitForMessage(
  api: Api,
  endpointId: string,
  eventId: string,
  states: WebhookMessageState[] = ['delivered'],
  timeoutMs = 60_000,
): Promise<WebhookMessageLog> {
  const log = await pollUntil(
    `the message of ${eventId} to be ${states.join(' or ')}`,
    () => messageLog(api, endpointId),
    (items) => items.some((item) => item.eventId === eventId && states.includes(item.state)),
    timeoutMs,
  );
  const message = log.find((item) => item.eventId === eventId);
  if (!message) throw new Error(`no message of ${eventId}`);
  return message;
}
