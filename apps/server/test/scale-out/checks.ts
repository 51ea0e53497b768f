import { openPgPool } from '@switchboard/db';
import type { AcceptedSend } from './fake-cloud-api.js';

// The acceptance figures of the scale-out crash test, computed from what the fake Cloud API received
// and from the database itself (not from the server's own API, which could share a bug with the writes).

/** How often each expected reply text reached the Cloud API, summed up. */
export function replyCounts(sends: AcceptedSend[], expected: string[]) {
  const counts = new Map<string, number>();
  for (const s of sends) counts.set(s.text ?? '', (counts.get(s.text ?? '') ?? 0) + 1);
  const wanted = new Set(expected);
  const missing = expected.filter((t) => !counts.has(t));
  const duplicated = [...counts].filter(([t, n]) => wanted.has(t) && n > 1).map(([t, n]) => ({ text: t, n }));
  const unexpected = [...counts.keys()].filter((t) => !wanted.has(t));
  return { distinct: counts.size, missing, duplicated, unexpected };
}

/**
 * Contacts whose replies arrived out of the order of their messages: `indexOf` reads the message number
 * from a reply text. Every arrival counts, so a late duplicate of an earlier reply breaks order too.
 */
export function orderBreaks(sends: AcceptedSend[], indexOf: (text: string) => number | null) {
  const last = new Map<string, number>();
  const broken = new Map<string, { after: number; got: number }>();
  for (const s of sends) {
    const n = s.text === null ? null : indexOf(s.text);
    if (n === null) continue;
    const before = last.get(s.to) ?? -1;
    if (n <= before && !broken.has(s.to)) broken.set(s.to, { after: before, got: n });
    last.set(s.to, Math.max(before, n));
  }
  return [...broken].map(([to, b]) => ({ to, ...b }));
}

/** The most arrivals within any window of `windowMs` (sliding, starting at each arrival). */
export function busiestWindow(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end++;
    best = Math.max(best, end - start);
  }
  return best;
}

/** What the database holds for the echo flow's runs, the inbound messages and the outbox. */
export async function databaseFigures(env: { url: string; schema: string }, flowId: string) {
  const pool = openPgPool({ url: env.url, schema: env.schema, max: 1 });
  try {
    const runs = await pool.query<{ message_id: string | null; status: string; n: string }>(
      `select state->'trigger'->>'messageId' as message_id, status, count(*) as n
         from runs where flow_id = $1 group by 1, 2`,
      [flowId],
    );
    const events = await pool.query<{ message_id: string; status: string; error: string | null }>(
      `select normalized->>'messageId' as message_id, status, error
         from inbound_events where type = 'message.received'`,
    );
    const outbox = await pool.query<{ status: string; n: string }>(
      'select status, count(*) as n from outbox group by status',
    );
    const runsByMessage = new Map<string, { total: number; statuses: Record<string, number> }>();
    for (const r of runs.rows) {
      const key = r.message_id ?? '(none)';
      const entry = runsByMessage.get(key) ?? { total: 0, statuses: {} };
      entry.total += Number(r.n);
      entry.statuses[r.status] = (entry.statuses[r.status] ?? 0) + Number(r.n);
      runsByMessage.set(key, entry);
    }
    return {
      runsByMessage,
      events: events.rows,
      outboxByStatus: Object.fromEntries(outbox.rows.map((r) => [r.status, Number(r.n)])),
    };
  } finally {
    await pool.end();
  }
}

/** Messages (of `expected`) that did not get exactly one run, or whose run did not succeed. */
export function runProblems(
  runsByMessage: Map<string, { total: number; statuses: Record<string, number> }>,
  expected: string[],
) {
  const noRun: string[] = [];
  const severalRuns: Array<{ messageId: string; runs: number }> = [];
  const notSucceeded: Array<{ messageId: string; statuses: Record<string, number> }> = [];
  for (const id of expected) {
    const entry = runsByMessage.get(id);
    if (!entry) noRun.push(id);
    else {
      if (entry.total > 1) severalRuns.push({ messageId: id, runs: entry.total });
      if (entry.statuses.succeeded !== entry.total)
        notSucceeded.push({ messageId: id, statuses: entry.statuses });
    }
  }
  return { noRun, severalRuns, notSucceeded };
}
