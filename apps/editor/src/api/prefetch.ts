import { api } from './client';
import { apiKey } from './key';

/**
 * The first screen needs the node catalog and, on `/flows/<id>`, that flow. Both requests start before
 * React renders anything, side by side, instead of one after the other from components' effects; the
 * first reader takes the answer (later readers fetch again, so nothing stale is kept).
 */
const pending = new Map<string, Promise<unknown>>();

function prefetch(path: string): void {
  const p = api.get<unknown>(path);
  // A prefetch nobody takes (e.g. the key was refused) must not surface as an unhandled rejection.
  p.catch(() => undefined);
  pending.set(path, p);
}

export function prefetchFirstScreen(pathname: string): void {
  if (!apiKey.get()) return;
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
