import { FINAL_RUN_STATUSES, type RunStatus, type RunSummary } from '@switchboard/flow-schema';

export function isFinal(status: RunStatus): boolean {
  return FINAL_RUN_STATUSES.includes(status);
}

/** Short and unit-labelled (units read the same in English and Spanish): 340 ms, 4.2 s, 3 min 5 s, 2 h 3 min. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const totalSeconds = Math.floor(ms / 1_000);
  if (ms < 3_600_000) {
    const s = totalSeconds % 60;
    return `${Math.floor(totalSeconds / 60)} min${s ? ` ${s} s` : ''}`;
  }
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 48 * 60) {
    const m = totalMinutes % 60;
    return `${Math.floor(totalMinutes / 60)} h${m ? ` ${m} min` : ''}`;
  }
  return `${Math.floor(totalMinutes / 1_440)} d`;
}

/** From start (or creation, while queued) to the end, or to `now` while it is not finished. */
export function runDurationMs(run: RunSummary, now: number): number {
  const start = Date.parse(run.startedAt ?? run.createdAt);
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return Math.max(0, end - start);
}

/** Newest first, the server's order: by creation time, then id. */
function newestFirst(a: RunSummary, b: RunSummary): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}

/**
 * Folds a freshly read first page into the list already shown (which may hold several loaded pages):
 * new runs go on top, runs seen before take their new status, and nothing loaded is lost.
 */
export function mergeRunLists(shown: readonly RunSummary[], fresh: readonly RunSummary[]): RunSummary[] {
  const byId = new Map(shown.map((r) => [r.id, r]));
  for (const run of fresh) byId.set(run.id, run);
  return [...byId.values()].sort(newestFirst);
}

/** Appends a next page, skipping runs already listed (a run created meanwhile shifts the pages). */
export function appendRunPage(shown: readonly RunSummary[], page: readonly RunSummary[]): RunSummary[] {
  const ids = new Set(shown.map((r) => r.id));
  return [...shown, ...page.filter((r) => !ids.has(r.id))];
}

/** A datetime-local value ("2026-05-01T09:30") as an ISO instant in the browser's zone; null when empty. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Whether a run was created within [from, to] (either end may be open). */
export function createdWithin(run: RunSummary, from: string | null, to: string | null): boolean {
  const at = Date.parse(run.createdAt);
  if (from && at < Date.parse(from)) return false;
  if (to && at > Date.parse(to)) return false;
  return true;
}

/** "14:05" (or "2:05 p. m."): a time of day in the user's language. */
export function formatClockTime(iso: string, lang: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime())
    ? iso
    : at.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
}

/** A short date and time in the user's language; today's times without the date. */
export function formatDateTime(iso: string, lang: string, now = Date.now()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const sameDay = new Date(now).toDateString() === at.toDateString();
  return sameDay
    ? at.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : at.toLocaleString(lang, { dateStyle: 'short', timeStyle: 'short' });
}

/** Pretty JSON for the step details, cut short so a huge payload does not freeze the panel. */
export function prettyJson(value: unknown, max = 20_000): string {
  if (value === undefined) return '';
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}\n…` : text;
}
