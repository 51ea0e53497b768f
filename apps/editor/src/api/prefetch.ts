import { api } from './client';
import { apiKey, sessionHint } from './key';

/**
 * The first screen needs who is signed in, the node catalog and, on `/flows/<id>`, that flow. The
 * requests start before React renders anything, side by side, instead of one after the other from
 * components' effects; the first reader takes the answer (later readers fetch again, so nothing stale is
 * kept). The catalog and the flow are only asked for with a key or a session: without either they would
 * be refused.
 */
const pending = new Map<string, Promise<unknown>>();

function prefetch(path: string): void {
  const p = api.get<unknown>(path);
  // A refused prefetch (e.g. the session had ended) is dropped: it must not surface as an unhandled
  // rejection, nor be the answer after signing in again.
  p.catch(() => {
    if (pending.get(path) === p) pending.delete(path);
  });
  pending.set(path, p);
}

export function prefetchFirstScreen(pathname: string): void {
  prefetch('/api/auth/status');
  const role = sessionHint.get();
  // Agents read no flows (and have nothing to prefetch); the invitation page needs no data.
  if (pathname === '/invite' || (!apiKey.get() && (!role || role === 'agent'))) return;
  prefetch('/api/node-types');
  const flow = /^\/flows\/([^/]+)$/.exec(pathname)?.[1];
  if (flow) prefetch(`/api/flows/${flow}`);
}

/** The prefetched answer for `path` (once), else a fresh request. */
export function getOnce<T>(path: string): Promise<T> {
  const p = pending.get(path);
  if (p) {
    pending.delete(path);
    return p as Promise<T>;
  }
  return api.get<T>(path);
}
