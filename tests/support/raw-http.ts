import { request } from 'node:http';
import type { Api } from './api';

export type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/**
 * A GET with a Host header of the caller's choosing (fetch always sends the URL's own host), as
 * a DNS-rebinding page or a proxy would.
 */
export function getWithHost(api: Api, path: string, host: string): Promise<RawResponse> {
  const url = new URL(path, api.baseUrl);
  const headers = { ...api.headers, host, accept: 'application/json' };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
