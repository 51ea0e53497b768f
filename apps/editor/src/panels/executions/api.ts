import type { RunStatus } from '@switchboard/flow-schema';
import { api } from '../../api/client';
import type { Execution, RunSummary } from '../../api/types';

export interface RunFilter {
  flowId?: string;
  status?: RunStatus;
  contactId?: string;
  from?: string;
  to?: string;
}

export interface RunPage {
  items: RunSummary[];
  nextCursor: string | null;
}

const PAGE_SIZE = 30;

export function listRuns(filter: RunFilter, cursor?: string | null): Promise<RunPage> {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const [key, value] of Object.entries(filter)) if (value) query.set(key, value);
  if (cursor) query.set('cursor', cursor);
  return api.get<RunPage>(`/api/executions?${query}`);
}

export function getRun(id: string, signal?: AbortSignal): Promise<Execution> {
  return api.get<Execution>(`/api/executions/${encodeURIComponent(id)}`, signal ? { signal } : undefined);
}

export function cancelRun(id: string): Promise<RunSummary> {
  return api.post<RunSummary>(`/api/executions/${encodeURIComponent(id)}/cancel`);
}

/** Skip the wait: the run's delays and reply timeouts fire now. */
export function wakeRun(id: string): Promise<RunSummary> {
  return api.post<RunSummary>(`/api/executions/${encodeURIComponent(id)}/wake`);
}

/** Runs the flow again with the same trigger event; answers the new run's id. */
export function replayRun(id: string): Promise<{ runId: string }> {
  return api.post<{ runId: string }>(`/api/executions/${encodeURIComponent(id)}/replay`);
}
