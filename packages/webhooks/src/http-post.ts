import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { RESPONSE_SNIPPET_BYTES } from '@catalog/domain';
import { bareHost, ForbiddenDestinationError, guardedLookup, isForbiddenAddress } from './network-guard';

export type PostOptions = { timeoutMs: number; allowPrivateNetworks: boolean };

/** What came of one POST: the receiver's answer, or why there was none. */
export type PostOutcome =
  | { kind: 'response'; statusCode: number; latencyMs: number; snippet: string; retryAfterMs: number | null }
  | { kind: 'refused'; latencyMs: number; error: string }
  | { kind: 'network'; latencyMs: number; error: string };

const USER_AGENT = 'CatalogImporter-Webhooks/1.0';

/**
 * Keep-alive agents for the process: a lane's messages to an endpoint reuse its open connections
 * (a TLS handshake per message would cap throughput). No socket cap: each lane bounds its own
 * concurrency (WEBHOOK_ENDPOINT_CONCURRENCY), so one endpoint's slow sockets never queue another's.
 * A reused socket was connected through the guarded lookup, so the SSRF check still holds.
 *
 * An idle socket is closed after KEEP_ALIVE_IDLE_MS (the agent's `timeout` applies to free sockets):
 * sooner than receivers close theirs (Node's server after 5 s, most proxies far later), so a lane
 * seldom sends on a socket the receiver is closing, which fails as a reset or EPIPE. A receiver
 * announcing a shorter `Keep-Alive: timeout` is honoured by the agent itself (1 s before it).
 */
export const KEEP_ALIVE_IDLE_MS = 4_000;
const agentOptions = { keepAlive: true, scheduling: 'lifo', timeout: KEEP_ALIVE_IDLE_MS } as const;
const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };

/**
 * One JSON POST. Redirects are not followed (a 3xx is just the answer), the whole exchange is
 * bounded by `timeoutMs`, and at most the first RESPONSE_SNIPPET_BYTES of the body are read: the
 * rest is dropped with the connection. Never throws.
 */
export async function postJson(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: PostOptions,
): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(target);
  const host = bareHost(url);
  if (!options.allowPrivateNetworks && isIP(host) && isForbiddenAddress(host)) {
    return { kind: 'refused', latencyMs: 0, error: new ForbiddenDestinationError(host, host).message };
  }
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await send(url, body, headers, signal, options.allowPrivateNetworks);
    const snippet = await readSnippet(response);
    return {
      kind: 'response',
      statusCode: response.statusCode ?? 0,
      latencyMs: elapsed(),
      snippet,
      retryAfterMs: parseRetryAfter(response.headers['retry-after']),
    };
  } catch (error: unknown) {
    if (error instanceof ForbiddenDestinationError)
      return { kind: 'refused', latencyMs: elapsed(), error: error.message };
    const message = signal.aborted ? `no answer within ${options.timeoutMs} ms` : describeNetworkError(error);
    return { kind: 'network', latencyMs: elapsed(), error: message };
  }
}

function send(
  url: URL,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  allowPrivateNetworks: boolean,
): Promise<IncomingMessage> {
  const secure = url.protocol === 'https:';
  const transport = secure ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(url, {
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      signal,
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': USER_AGENT,
      },
      ...(allowPrivateNetworks ? {} : { lookup: guardedLookup }),
    });
    request.once('response', resolve);
    request.once('error', reject);
    request.end(body);
  });
}

/**
 * Reads up to RESPONSE_SNIPPET_BYTES, then drops the connection rather than reading a large body.
 * The status has already arrived, so a body cut short (timeout, reset) still counts as an answer.
 */
async function readSnippet(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(buffer);
      size += buffer.length;
      if (size >= RESPONSE_SNIPPET_BYTES) break;
    }
  } catch {
    // Keep what arrived.
  } finally {
    if (!response.complete) response.destroy();
  }
  // PostgreSQL text cannot hold NUL; the snippet is for people to read, so dropping it is harmless.
  return Buffer.concat(chunks).subarray(0, RESPONSE_SNIPPET_BYTES).toString('utf8').replaceAll('\u0000', '');
}

/** `Retry-After` is either seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error && typeof error.code === 'string' ? error.code : null;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
