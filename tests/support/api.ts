/** How a test proves who it is: a session cookie, an API key, or nothing (anonymous). */
export type Credentials = { cookie: string } | { key: string } | null;

/** Where the API is and who calls it: what every test helper that calls the API takes. */
export type Api = {
  baseUrl: string;
  credentials: Credentials;
  /** The headers that carry the credentials (with a cookie, the app's own Origin, as a browser sends it). */
  headers: Record<string, string>;
  /** fetch(baseUrl + path) with the credentials; `init.headers` are added to them and may override them. */
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
};

export function credentialHeaders(baseUrl: string, credentials: Credentials): Record<string, string> {
  if (!credentials) return {};
  if ('key' in credentials) return { authorization: `Bearer ${credentials.key}` };
  return { cookie: credentials.cookie, origin: new URL(baseUrl).origin };
}

export function apiAs(baseUrl: string, credentials: Credentials): Api {
  const headers = credentialHeaders(baseUrl, credentials);
  return {
    baseUrl,
    credentials,
    headers,
    fetch: (path, init = {}) => {
      const merged = new Headers(headers);
      for (const [name, value] of new Headers(init.headers)) merged.set(name, value);
      return fetch(`${baseUrl}${path}`, { ...init, headers: merged });
    },
  };
}
