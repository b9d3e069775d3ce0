import type { InjectionKey } from 'vue';
import { ApiError, networkError, parseBody, toApiError } from './errors';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** The caller handles the failure itself (e.g. a 404 that only means "gone"), so no toast. */
  quiet?: boolean;
  /** Sent without a session (sign-in, who am I): a 401 is the answer itself, not a session that ended. */
  anonymous?: boolean;
  signal?: AbortSignal;
}

export interface ApiClient {
  request<T>(path: string, options?: RequestOptions): Promise<T>;
}

export interface ApiClientOptions {
  /** Called once for every failed request that is not quiet; the app shows these as toasts. */
  onError?: (error: ApiError) => void;
  /** Called instead of onError when a request that needed a session is answered 401: it ended. */
  onUnauthenticated?: (error: ApiError) => void;
}

export const apiClientKey: InjectionKey<ApiClient> = Symbol('ApiClient');

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  async function send(path: string, init: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(path, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw networkError();
    }
  }

  return {
    async request<T>(path: string, init: RequestOptions = {}): Promise<T> {
      try {
        const response = await send(path, init);
        const body = parseBody(await response.text());
        if (!response.ok) throw toApiError(response.status, body);
        // The API is the typed contract in @catalog/domain; the UI trusts it rather than re-validating.
        return body as T;
      } catch (error) {
        if (error instanceof ApiError) {
          if (error.status === 401 && !init.anonymous) options.onUnauthenticated?.(error);
          else if (!init.quiet) options.onError?.(error);
        }
        throw error;
      }
    },
  };
}
