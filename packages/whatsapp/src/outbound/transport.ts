import { Pool } from 'undici';
import type { GraphResponseHeaders } from './errors.js';

export interface PostResult {
  status: number;
  headers: GraphResponseHeaders;
  text: string;
}

/** One JSON POST; throws on network errors and timeouts (the client turns them into transient errors). */
export type PostJson = (
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
) => Promise<PostResult>;

/**
 * Keep-alive connection pools, one per origin (undici). Node's global fetch builds a WHATWG Request,
 * Response and stream per call; on the hot send path this costs several times the CPU of a pooled
 * `request`, and a pool also keeps TLS sessions to graph.facebook.com warm.
 */
export class PooledTransport {
  readonly #pools = new Map<string, Pool>();

  constructor(private readonly options: { connections?: number; keepAliveMs?: number } = {}) {}

  readonly post: PostJson = async (url, headers, body, timeoutMs) => {
    const target = new URL(url);
    let pool = this.#pools.get(target.origin);
    if (!pool) {
      pool = new Pool(target.origin, {
        connections: this.options.connections ?? 32,
        keepAliveTimeout: this.options.keepAliveMs ?? 30_000,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      this.#pools.set(target.origin, pool);
    }
    const response = await pool.request({
      path: `${target.pathname}${target.search}`,
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
  };

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }
}

/** Adapts a fetch function (tests, proxies) to `PostJson`. */
export function fetchTransport(fetchFn: typeof fetch): PostJson {
  return async (url, headers, body, timeoutMs) => {
    const response = await fetchFn(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
}
