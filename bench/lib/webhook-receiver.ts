import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';

/** How an endpoint of the receiver answers: at once, after a delay, or never (the sender times out). */
export type Answer = { delayMs: number } | 'never';

/** What arrived for one message (product sku and version) at one endpoint. */
export type Arrivals = {
  /** performance.now() when the first copy arrived. */
  firstAt: number;
  /** Every copy received, valid signature only. */
  copies: number;
  /** The distinct webhook-ids it came under: more than one is a repeat the receiver cannot deduplicate. */
  webhookIds: Set<string>;
};

const messageSchema = z.object({ data: z.object({ sku: z.string(), version: z.number().int() }) });

/** The key a product event is known by on both sides: the sender learns it from the write's answer. */
export const messageKey = (sku: string, version: number): string => `${sku}:${version}`;

/**
 * Real HTTP endpoints on loopback (`<url>/<index>`), one per webhook endpoint of the catalog. Each
 * checks every signature with the Standard Webhooks library against its endpoint's secret and
 * notes, per message, when the first copy arrived and under which webhook-ids it came.
 */
export async function startWebhookReceiver() {
  const verifiers = new Map<number, Webhook>();
  const answers = new Map<number, Answer>();
  const arrivals = new Map<number, Map<string, Arrivals>>();
  let badSignatures = 0;

  function record(endpoint: number, request: IncomingMessage, body: string): void {
    const arrived = performance.now();
    const verifier = verifiers.get(endpoint);
    const webhookId = String(request.headers['webhook-id']);
    let message: unknown;
    try {
      if (!verifier) throw new Error(`no endpoint ${endpoint}`);
      message = verifier.verify(body, {
        'webhook-id': webhookId,
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      });
    } catch {
      badSignatures++;
      return;
    }
    const parsed = messageSchema.safeParse(message);
    // Other event types (a Test press, imports) are not part of the measured load.
    if (!parsed.success) return;
    const key = messageKey(parsed.data.data.sku, parsed.data.data.version);
    const byKey = arrivals.get(endpoint) ?? new Map<string, Arrivals>();
    arrivals.set(endpoint, byKey);
    const seen = byKey.get(key);
    if (seen) {
      seen.copies++;
      seen.webhookIds.add(webhookId);
    } else {
      byKey.set(key, { firstAt: arrived, copies: 1, webhookIds: new Set([webhookId]) });
    }
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const endpoint = Number(request.url?.split('/').at(-1));
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      record(endpoint, request, Buffer.concat(chunks).toString('utf8'));
      const answer = answers.get(endpoint) ?? { delayMs: 0 };
      // A receiver that never answers holds the request until the sender gives up and closes it.
      if (answer === 'never') return;
      if (answer.delayMs === 0) {
        response.writeHead(204).end();
        return;
      }
      const timer = setTimeout(() => response.writeHead(204).end(), answer.delayMs);
      response.on('close', () => clearTimeout(timer));
    });
  }

  const server = createServer(handle);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the receiver has no port');
  const baseUrl = `http://127.0.0.1:${address.port}/hook`;

  return {
    urlFor: (endpoint: number) => `${baseUrl}/${endpoint}`,
    addEndpoint: (endpoint: number, secret: string, answer: Answer = { delayMs: 0 }) => {
      verifiers.set(endpoint, new Webhook(secret));
      answers.set(endpoint, answer);
    },
    arrival: (endpoint: number, key: string): Arrivals | undefined => arrivals.get(endpoint)?.get(key),
    badSignatures: () => badSignatures,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
