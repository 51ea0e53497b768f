import type { Flow } from '@switchboard/flow-schema';
import { type ApiProblem, api } from '../api/client';
import { useEditor } from './editor';

const DEBOUNCE_MS = 600;

/**
 * Problems only the server can find (expression syntax is checked in its sandbox) are fetched from
 * `POST /api/flows/validate` shortly after each edit; the browser's own `validateFlow` covers the rest
 * instantly, so the server's copy of those is dropped rather than shown twice.
 */
export function onlyServerProblems(server: readonly ApiProblem[]): ApiProblem[] {
  const local = new Set(useEditor.getState().problems.map((p) => `${p.path}|${p.code}`));
  return server.filter((p) => !local.has(`${p.path}|${p.code}`));
}

let timer: ReturnType<typeof setTimeout> | undefined;

async function check(flow: Flow): Promise<void> {
  try {
    const answer = await api.post<{ ok: boolean; problems: ApiProblem[] }>('/api/flows/validate', flow);
    if (useEditor.getState().flow !== flow) return; // edited meanwhile: a newer check is on its way
    useEditor.setState({ serverProblems: onlyServerProblems(answer.problems) });
  } catch {
    // Offline or a server without the endpoint: the browser's checks still stand; saving reports the rest.
  }
}

export function startServerChecks(): () => void {
  return useEditor.subscribe((state, previous) => {
    if (!state.flow || state.flow === previous.flow) return;
    if (state.serverProblems.length > 0 && state.flow.nodes !== previous.flow?.nodes) {
      // Paths point at node indexes, which an edit may have shifted: stale until the next answer.
      useEditor.setState({ serverProblems: [] });
    }
    clearTimeout(timer);
    const flow = state.flow;
    timer = setTimeout(() => void check(flow), DEBOUNCE_MS);
  });
}
