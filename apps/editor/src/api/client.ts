import { apiKey } from './key';

export interface ApiProblem {
  path: string;
  message: string;
  code?: string;
  severity?: 'error' | 'warning';
}

/** An error answer from the server, in its one shape: `{ error, message, problems? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: ApiProblem[] = [],
    /** Seconds to wait before trying again (a 429's `Retry-After`), when the server said. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/**
 * How requests are authenticated. With an API key (the `#key=` link, or typed in): `Authorization:
 * Bearer`, nothing else. Signed in with a password: the browser sends the session cookie by itself, and
 * writes carry the session's CSRF token in `x-csrf-token`; when the server calls the token stale (403
 * `csrf`), a fresh one is fetched and the request is sent once more.
 */
export interface Credentials {
  apiKey(): string | null;
  csrfToken(): string | null;
  /** Fetches a fresh CSRF token; resolves to it, or null when there is no session any more. */
  refreshCsrf(): Promise<string | null>;
}

let credentials: Credentials = {
  apiKey: () => apiKey.get(),
  csrfToken: () => null,
  refreshCsrf: async () => null,
};

/** The auth store plugs its session in here (kept apart so this module has no UI dependencies). */
export function setCredentials(next: Partial<Credentials>): void {
  credentials = { ...credentials, ...next };
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The headers of a request: the key as Bearer, or, for a write in a session, its CSRF token. */
export function requestHeaders(
  method: string,
  hasBody: boolean,
  auth: { key: string | null; csrfToken: string | null },
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (auth.key) headers.authorization = `Bearer ${auth.key}`;
  else if (auth.csrfToken && WRITES.has(method.toUpperCase())) headers['x-csrf-token'] = auth.csrfToken;
  if (hasBody) headers['content-type'] = 'application/json';
  return headers;
}

/**
 * `Retry-After` in seconds, from either of its forms (a number of seconds, or an HTTP date); null when
 * missing or unreadable. Never negative; rounded up, so "try again in 0 s" is never shown too early.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Answers whose 401 means "wrong password" or "not signed in yet", not "your session or key is gone":
 * they must not send the app back to the sign-in page.
 */
const QUIET_401 = ['/api/auth/', '/api/invitations/lookup', '/api/invitations/accept'];

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
/** Called when the server refuses the key or the session, so the app can ask to sign in again. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  /** `raw`: send `body` (a string) as it is, with this content type (a CSV import), not as JSON. */
  init: { signal?: AbortSignal; raw?: string } = {},
): Promise<T> {
  const payload =
    body === undefined ? undefined : init.raw && typeof body === 'string' ? body : JSON.stringify(body);
  for (let attempt = 1; ; attempt++) {
    const key = credentials.apiKey();
    const res = await fetch(path, {
      method,
      headers: {
        ...requestHeaders(method, payload !== undefined, { key, csrfToken: credentials.csrfToken() }),
        ...(init.raw && payload !== undefined ? { 'content-type': init.raw } : {}),
      },
      credentials: 'same-origin',
      ...(payload !== undefined ? { body: payload } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (res.ok) return parsed as T;
    const e = (parsed ?? {}) as { error?: string; message?: string; problems?: ApiProblem[] };
    // A stale CSRF token (another tab signed in again, the password changed): fetch the new one, once.
    if (res.status === 403 && e.error === 'csrf' && !key && attempt === 1) {
      if (await credentials.refreshCsrf().catch(() => null)) continue;
    }
    if (res.status === 401 && !QUIET_401.some((p) => path.startsWith(p))) {
      for (const l of unauthorizedListeners) l();
    }
    throw new ApiError(
      res.status,
      e.error ?? `http_${res.status}`,
      e.message ?? `${method} ${path} answered ${res.status}`,
      e.problems ?? [],
      res.status === 429 ? parseRetryAfter(res.headers.get('retry-after')) : null,
    );
  }
}

/**
 * The headers a streaming GET needs (the inbox's server-sent events are read with `fetch`, not
 * `EventSource`, because an `EventSource` cannot send the API key's `Authorization` header).
 */
export function readHeaders(): Record<string, string> {
  return requestHeaders('GET', false, { key: credentials.apiKey(), csrfToken: credentials.csrfToken() });
}

/** Tells the app that the server refused the key or the session (a stream's 401, say). */
export function reportUnauthorized(): void {
  for (const l of unauthorizedListeners) l();
}

export const api = {
  get: <T>(path: string, init?: { signal?: AbortSignal }) => request<T>('GET', path, undefined, init),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
