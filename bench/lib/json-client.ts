import http from 'node:http';
import type { Api } from '../../tests/support/api';

export type JsonAnswer = { status: number; body: unknown };
export type JsonClient = {
  send: (method: string, path: string, body: unknown) => Promise<JsonAnswer>;
  close: () => void;
};

/**
 * A JSON client over node:http with keep-alive, for load generators: it shares the machine with the
 * system it measures, and fetch (undici and web streams) cost several times more CPU per request,
 * which the API and worker would then not have. Sends the Api's credentials; a request that gets
 * no answer in `timeoutMs` fails.
 */
export function jsonClient(api: Api, maxSockets = 256, timeoutMs = 60_000): JsonClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const base = new URL(api.baseUrl);
  return {
    send: (method, path, body) =>
      new Promise((resolve, reject) => {
        const payload = JSON.stringify(body);
        const request = http.request(
          {
            agent,
            // An IPv6 literal comes bracketed in a URL, and bare in a request's host.
            host: base.hostname.replace(/^\[(.*)\]$/, '$1'),
            port: base.port,
            method,
            path,
            headers: {
              ...api.headers,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
            },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              try {
                resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : null });
              } catch (error) {
                reject(error);
              }
            });
            response.on('error', reject);
          },
        );
        request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        request.on('error', reject);
        request.end(payload);
      }),
    close: () => agent.destroy(),
  };
}
