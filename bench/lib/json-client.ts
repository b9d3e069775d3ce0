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
 * which the API and worker would then not have. Sends the Api's credentials.
 */
export function jsonClient(api: Api, maxSockets = 256): JsonClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const base = new URL(api.baseUrl);
  return {
    send: (method, path, body) =>
      new Promise((resolve, reject) => {
        const payload = JSON.stringify(body);
        const request = http.request(
          {
            agent,
            host: base.hostname,
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
        request.on('error', reject);
        request.end(payload);
      }),
    close: () => agent.destroy(),
  };
}
