import { readPath } from '@switchboard/engine';

/**
 * Wake keys for waits on outside events, shared by the nodes that park on them and the server that
 * delivers them (each in the same transaction as the change it announces).
 *
 * - `status:<outboxId>:<delivered|read|failed>` — a sent message reached that status.
 * - `run:<runId>:finished` — a run ended (succeeded, failed or cancelled).
 * - `hook:<path>:<field>=<value>` — a body posted to `/hooks/<path>` has `value` at `field`. The key
 *   carries the field, so the hooks route needs no flow definitions to compute it.
 */
export type MessageEvent = 'delivered' | 'read' | 'failed';

export const statusKey = (messageId: string, event: MessageEvent) => `status:${messageId}:${event}`;
export const runFinishedKey = (runId: string) => `run:${runId}:finished`;
export const hookKey = (path: string, field: string, equals: string) => `hook:${path}:${field}=${equals}`;

/** Outbox statuses that end a message's journey without it reaching the customer. */
export const FAILED_STATUSES: readonly string[] = ['failed', 'refused'];
const RANK: Record<string, number> = { delivered: 1, read: 2, played: 2 };

/**
 * The waits a message in `status` satisfies: `read` (and voice `played`) implies `delivered`; a failed
 * or refused message answers every wait, so one for `read` does not sit until its timeout.
 */
export function eventsSatisfiedBy(status: string): MessageEvent[] {
  if (FAILED_STATUSES.includes(status)) return ['failed', 'delivered', 'read'];
  const rank = RANK[status] ?? 0;
  return (['delivered', 'read'] as const).filter((e) => rank >= RANK[e]!);
}

/** Parses a `hook:` key back into its parts; undefined for any other key. */
export function parseHookKey(key: string): { path: string; field: string; equals: string } | undefined {
  const m = /^hook:([a-z0-9][a-z0-9-]{0,62}):([^=]+)=(.*)$/s.exec(key);
  return m ? { path: m[1]!, field: m[2]!, equals: m[3]! } : undefined;
}

/**
 * True when `body` has `equals` at the dotted `field` (`order.id`, `items[0].sku`). Numbers and booleans
 * compare by their text (`1234` matches "1234"); objects and missing values never match.
 */
export function hookMatches(body: unknown, field: string, equals: string): boolean {
  const value = readPath(body, field);
  if (value === null || value === undefined || typeof value === 'object') return false;
  return String(value) === equals;
}
