import {
  applyOperation,
  catalogFromEntries,
  type Flow,
  type FlowOperation,
  type NodeCatalog,
  type NodeCatalogEntry,
  type Problem,
  validateFlow,
} from '@switchboard/flow-schema';
import { create } from 'zustand';
import { ApiError, type ApiProblem, api } from '../api/client';
import { getOnce } from '../api/prefetch';
import type { Execution, FlowRecord, FlowWithDocument, SaveAnswer } from '../api/types';
import { currentlyCan, useAuth } from '../auth/session';
import { t } from '../i18n';

const HISTORY_LIMIT = 200;
/** Edits of one field within this window are one undo step (typing a message is not 40 undos). */
const COALESCE_MS = 1_000;

export interface Notice {
  kind: 'info' | 'error';
  text: string;
  problems?: ApiProblem[];
}

/** Per-node run state painted on the canvas by the simulator and the executions view. */
export interface NodeRunState {
  status: 'running' | 'succeeded' | 'failed' | 'waiting';
  ports: string[];
  order: number;
}

export interface EditorState {
  catalogEntries: NodeCatalogEntry[];
  catalog: NodeCatalog | null;
  entryByType: Map<string, NodeCatalogEntry>;
  record: FlowRecord | null;
  flow: Flow | null;
  /** The document as last saved, to know whether there are unsaved changes. */
  saved: Flow | null;
  past: Flow[];
  future: Flow[];
  lastCoalesce: { key: string; at: number } | null;
  selectedNodes: string[];
  selectedEdges: string[];
  problems: Problem[];
  /** Problems only the server finds (expression syntax), from the last save or check. */
  serverProblems: ApiProblem[];
  notice: Notice | null;
  saving: boolean;
  runState: Map<string, NodeRunState>;
  /** The run the canvas paints and the inspector's step details show (simulator or executions panel). */
  shownRunId: string | null;
  /** That run with its steps, once loaded. */
  shownRun: Execution | null;

  setCatalog(entries: NodeCatalogEntry[]): void;
  open(id: string): Promise<void>;
  /** Applies an edit; returns the refusal message when the edit is not allowed. */
  apply(
    op: FlowOperation,
    coalesceKey?: string,
  ): { ok: true; created: string[] } | { ok: false; message: string };
  undo(): void;
  redo(): void;
  select(nodes: string[], edges: string[]): void;
  save(): Promise<boolean>;
  setActive(active: boolean): Promise<void>;
  notify(notice: Notice | null): void;
  setRunState(state: Map<string, NodeRunState>): void;
  /** Shows a run: which one, its record (null while loading) and its overlay on the canvas, in one update. */
  showRun(id: string | null, run: Execution | null, runState: Map<string, NodeRunState>): void;
  close(): void;
  /** Checks the current flow now (or drops a pending check when there is no flow). */
  checkNow(): void;
  /** Checks the current flow once the browser is idle, or shortly after the last edit. */
  checkLater(when: 'idle' | 'soon'): void;
}

function revalidate(flow: Flow, catalog: NodeCatalog | null): Problem[] {
  return catalog ? validateFlow(flow, catalog).problems : [];
}

/**
 * Checking a whole flow takes tens of milliseconds on a big one: opening a flow checks it once the
 * browser is idle (after the canvas is drawn), and edits check it a moment after the last keystroke,
 * so neither drawing nor typing waits for it. The server checks again on save and on activation.
 */
const EDIT_CHECK_DELAY_MS = 120;
let pendingCheck: { cancel(): void } | null = null;
function scheduleCheck(run: () => void, when: 'idle' | 'soon'): void {
  pendingCheck?.cancel();
  if (when === 'idle' && typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(run, { timeout: 1_000 });
    pendingCheck = { cancel: () => cancelIdleCallback(handle) };
  } else {
    const handle = setTimeout(run, when === 'idle' ? 0 : EDIT_CHECK_DELAY_MS);
    pendingCheck = { cancel: () => clearTimeout(handle) };
  }
}

export const useEditor = create<EditorState>()((set, get) => ({
  catalogEntries: [],
  catalog: null,
  entryByType: new Map(),
  record: null,
  flow: null,
  saved: null,
  past: [],
  future: [],
  lastCoalesce: null,
  selectedNodes: [],
  selectedEdges: [],
  problems: [],
  serverProblems: [],
  notice: null,
  saving: false,
  runState: new Map(),
  shownRunId: null,
  shownRun: null,

  setCatalog(entries) {
    const catalog = catalogFromEntries(entries);
    const flow = get().flow;
    set({
      catalogEntries: entries,
      catalog,
      entryByType: new Map(entries.map((e) => [e.type, e])),
      problems: flow ? revalidate(flow, catalog) : [],
    });
  },

  async open(id) {
    const record = await getOnce<FlowWithDocument>(`/api/flows/${encodeURIComponent(id)}`);
    const { document, ...rest } = record;
    set({
      record: rest,
      flow: document,
      saved: document,
      past: [],
      future: [],
      lastCoalesce: null,
      selectedNodes: [],
      selectedEdges: [],
      serverProblems: [],
      notice: null,
      runState: new Map(),
      shownRunId: null,
      shownRun: null,
      problems: [],
    });
    get().checkLater('idle');
  },

  apply(op, coalesceKey) {
    const { flow, catalog, past, lastCoalesce } = get();
    if (!flow) return { ok: false, message: t('editor.noFlow') };
    // Read-only roles see the flow as it is: every edit (canvas, inspector, shortcuts) stops here.
    if (!currentlyCan('editFlows')) return { ok: false, message: t('auth.readOnlyNotice') };
    const result = applyOperation(flow, op, catalog ?? undefined);
    if (!result.ok) return { ok: false, message: result.message };
    if (result.flow === flow) return { ok: true, created: result.created };
    const now = Date.now();
    const coalesce =
      coalesceKey !== undefined &&
      lastCoalesce?.key === coalesceKey &&
      now - lastCoalesce.at < COALESCE_MS &&
      past.length > 0;
    set({
      flow: result.flow,
      past: coalesce ? past : [...past.slice(-HISTORY_LIMIT + 1), flow],
      future: [],
      lastCoalesce: coalesceKey !== undefined ? { key: coalesceKey, at: now } : null,
    });
    get().checkLater('soon');
    return { ok: true, created: result.created };
  },

  undo() {
    const { past, future, flow } = get();
    const previous = past.at(-1);
    if (!previous || !flow) return;
    set({
      flow: previous,
      past: past.slice(0, -1),
      future: [flow, ...future],
      lastCoalesce: null,
    });
    get().checkLater('soon');
  },

  redo() {
    const { past, future, flow } = get();
    const next = future[0];
    if (!next || !flow) return;
    set({
      flow: next,
      past: [...past, flow],
      future: future.slice(1),
      lastCoalesce: null,
    });
    get().checkLater('soon');
  },

  select(nodes, edges) {
    const s = get();
    if (sameList(s.selectedNodes, nodes) && sameList(s.selectedEdges, edges)) return;
    set({ selectedNodes: nodes, selectedEdges: edges });
  },

  async save() {
    const { flow, record } = get();
    if (!flow || !record) return false;
    if (!currentlyCan('editFlows')) {
      set({ notice: { kind: 'error', text: t('auth.readOnlyNotice') } });
      return false;
    }
    get().checkNow();
    set({ saving: true });
    try {
      // Always allowed as a draft: an invalid flow is kept, it just cannot be activated.
      const answer = await api.put<SaveAnswer>(
        `/api/flows/${encodeURIComponent(record.id)}?draft=true`,
        flow,
      );
      const problems = [...(answer.problems ?? []), ...answer.warnings];
      set({
        record: answer.flow,
        saved: flow,
        serverProblems: problems.filter(
          (p) => !get().problems.some((l) => l.path === p.path && l.code === p.code),
        ),
        notice: {
          kind: 'info',
          text:
            answer.problems && answer.problems.length > 0
              ? t('editor.savedDraft', { version: answer.flow.version })
              : t('editor.saved', { version: answer.flow.version }),
        },
      });
      return true;
    } catch (error) {
      set({ notice: errorNotice(error) });
      return false;
    } finally {
      set({ saving: false });
    }
  },

  async setActive(active) {
    const { record } = get();
    if (!record) return;
    if (!currentlyCan('editFlows')) {
      set({ notice: { kind: 'error', text: t('auth.readOnlyNotice') } });
      return;
    }
    try {
      if (active && get().flow !== get().saved && !(await get().save())) return;
      const updated = await api.post<FlowRecord>(
        `/api/flows/${encodeURIComponent(record.id)}/${active ? 'activate' : 'deactivate'}`,
      );
      set({
        record: updated,
        notice: { kind: 'info', text: active ? t('editor.activated') : t('editor.deactivated') },
      });
    } catch (error) {
      set({ notice: errorNotice(error) });
    }
  },

  notify(notice) {
    set({ notice });
  },

  setRunState(runState) {
    set({ runState });
  },

  showRun(shownRunId, shownRun, runState) {
    set({ shownRunId, shownRun, runState });
  },

  checkNow() {
    pendingCheck?.cancel();
    pendingCheck = null;
    const { flow, catalog } = get();
    set({ problems: flow ? revalidate(flow, catalog) : [] });
  },

  checkLater(when) {
    scheduleCheck(() => {
      pendingCheck = null;
      get().checkNow();
    }, when);
  },

  close() {
    pendingCheck?.cancel();
    pendingCheck = null;
    set({
      record: null,
      flow: null,
      saved: null,
      past: [],
      future: [],
      problems: [],
      runState: new Map(),
      shownRunId: null,
      shownRun: null,
    });
  },
}));

export function errorNotice(error: unknown): Notice {
  // A role's refusal says so in the reader's language, with the server's own words after it.
  if (error instanceof ApiError && error.status === 403 && error.code === 'forbidden') {
    const role = useAuth.getState().role;
    const text = role ? t('auth.forbiddenRole', { role: t(`role.${role}`) }) : t('auth.forbidden');
    return { kind: 'error', text: `${text} (${error.message})` };
  }
  if (error && typeof error === 'object' && 'problems' in error) {
    const e = error as { message: string; problems: ApiProblem[] };
    return { kind: 'error', text: e.message, problems: e.problems };
  }
  return { kind: 'error', text: error instanceof Error ? error.message : String(error) };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
