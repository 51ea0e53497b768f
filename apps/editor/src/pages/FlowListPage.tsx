import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../api/client';
import type { FlowRecord, FlowWithDocument, SaveAnswer } from '../api/types';
import { useCan } from '../auth/session';
import { t, useLang } from '../i18n';
import { absoluteTime, relativeTime } from '../panels/history/format';
import { navigate } from '../router';
import { errorNotice, type Notice } from '../store/editor';
import { ReadOnlyBadge } from '../ui/ReadOnlyBadge';

const SLUG = /[^a-z0-9]+/g;
/** Typing in the search box waits this long before asking the server, so each key is not a request. */
const SEARCH_DELAY_MS = 250;

// The shared stylesheet has no classes for these two yet; kept here so this page needs no other file.
const NAME_STYLE = { fontWeight: 600, color: 'inherit', padding: 0, textAlign: 'left' } as const;
const OPEN_STYLE = { color: 'var(--accent)', marginRight: 8 } as const;
const EMPTY_STYLE = {
  textAlign: 'center',
  padding: '48px 16px',
  background: 'var(--panel)',
  border: '1px dashed var(--line)',
  borderRadius: 8,
} as const;

type StatusFilter = 'all' | 'active' | 'inactive';
const STATUS_FILTERS: readonly StatusFilter[] = ['all', 'active', 'inactive'];

const flowPath = (id: string) => `/api/flows/${encodeURIComponent(id)}`;

/** Flows by name: create, import, open, rename, activate/deactivate, duplicate, delete, search, filter. */
export function FlowListPage() {
  const [items, setItems] = useState<FlowRecord[] | null>(null);
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<StatusFilter>('all');
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const query = useDebounced(search.trim(), SEARCH_DELAY_MS);
  // A name typed into a prompt whose request failed comes back as the next prompt's default.
  const lastTypedName = useRef<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const editable = useCan('editFlows');

  const load = useCallback(
    async (signal?: AbortSignal) => {
      const params = new URLSearchParams();
      if (query) params.set('search', query);
      if (status !== 'all') params.set('active', String(status === 'active'));
      const q = params.toString() ? `?${params}` : '';
      try {
        setItems((await api.get<{ items: FlowRecord[] }>(`/api/flows${q}`, signal ? { signal } : {})).items);
      } catch (error) {
        if (!signal?.aborted) setNotice(errorNotice(error));
      }
    },
    [query, status],
  );
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  /** Runs a row action: its notice (or error) replaces the previous one, and the list is read again. */
  const run = async (id: string | null, action: () => Promise<Notice | null>): Promise<boolean> => {
    setBusyId(id);
    try {
      const done = await action();
      if (done) setNotice(done);
      await load();
      return true;
    } catch (error) {
      setNotice(errorNotice(error));
      return false;
    } finally {
      setBusyId(null);
    }
  };

  const askName = (question: string, suggestion: string): string | null => {
    const name = window.prompt(question, lastTypedName.current ?? suggestion);
    if (name === null) return null;
    lastTypedName.current = name;
    if (!name.trim()) {
      setNotice({ kind: 'error', text: t('flowList.nameRequired') });
      return null;
    }
    return name.trim();
  };

  const create = async () => {
    const name = askName(t('flows.newName'), t('flows.untitled'));
    if (!name) return;
    await run(null, async () => {
      const answer = await createEmptyFlow(name);
      lastTypedName.current = null;
      navigate(`/flows/${answer.flow.id}`);
      return null;
    });
  };

  const importFile = (file: File) =>
    run(null, async () => {
      const text = await file.text();
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (error) {
        return {
          kind: 'error',
          text: t('import.notJson', { source: file.name }),
          problems: [{ path: '$', message: (error as Error).message }],
        };
      }
      const answer = await api.post<SaveAnswer>('/api/flows?draft=true', doc);
      navigate(`/flows/${answer.flow.id}`);
      return null;
    });

  const rename = async (f: FlowRecord, name: string) => {
    if (!name) {
      setNotice({ kind: 'error', text: t('flowList.nameRequired') });
      return false;
    }
    return run(f.id, async () => {
      // A rename is a new version: the latest document with the new name (a draft stays a draft).
      const { document } = await api.get<FlowWithDocument>(flowPath(f.id));
      const draft = f.valid === false ? '?draft=true' : '';
      const answer = await api.put<SaveAnswer>(`${flowPath(f.id)}${draft}`, { ...document, name });
      return { kind: 'info', text: t('flowList.renamed', { name, version: answer.flow.version }) };
    });
  };

  const toggleActive = (f: FlowRecord) =>
    run(f.id, async () => {
      try {
        await api.post<FlowRecord>(`${flowPath(f.id)}/${f.active ? 'deactivate' : 'activate'}`);
      } catch (error) {
        // The server refuses to activate a draft and lists its problems: show them with what to do.
        if (!f.active && error instanceof ApiError && error.code === 'invalid_flow') {
          return {
            kind: 'error',
            text: t('flowList.cannotActivate', { name: f.name }),
            problems: error.problems,
          };
        }
        throw error;
      }
      const vars = { name: f.name };
      return {
        kind: 'info',
        text: f.active ? t('flowList.deactivated', vars) : t('flowList.activated', vars),
      };
    });

  const duplicate = async (f: FlowRecord) => {
    const name = askName(t('flowList.duplicateName'), t('flowList.copyName', { name: f.name }));
    if (!name) return;
    await run(f.id, async () => {
      const answer = await api.post<SaveAnswer>(`${flowPath(f.id)}/duplicate`, { name });
      lastTypedName.current = null;
      return { kind: 'info', text: t('flows.duplicated', { id: answer.flow.id }) };
    });
  };

  const remove = async (f: FlowRecord) => {
    if (!window.confirm(t('flows.confirmDelete', { name: f.name }))) return;
    await run(f.id, async () => {
      await api.delete(flowPath(f.id));
      return { kind: 'info', text: t('flowList.deleted', { name: f.name }) };
    });
  };

  const filtered = query !== '' || status !== 'all';
  return (
    <div className="sb-page" data-testid="flow-list">
      <header className="sb-page-head">
        <h1>{t('flows.title')}</h1>
        <input
          type="search"
          className="sb-search"
          placeholder={t('flows.search')}
          aria-label={t('flows.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <select
          aria-label={t('flowList.filter')}
          value={status}
          onChange={(e) => setStatus(e.target.value as StatusFilter)}
          data-testid="flow-filter"
        >
          {STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {t(`flowList.filter.${s}`)}
            </option>
          ))}
        </select>
        {editable ? (
          <>
            <button type="button" className="sb-primary" onClick={() => void create()} data-testid="new-flow">
              {t('flows.new')}
            </button>
            <button type="button" onClick={() => fileInput.current?.click()} data-testid="import-flow">
              {t('flows.import')}
            </button>
            <input
              ref={fileInput}
              type="file"
              accept="application/json,.json"
              hidden
              data-testid="import-flow-file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void importFile(file);
                e.target.value = '';
              }}
            />
          </>
        ) : (
          <ReadOnlyBadge />
        )}
      </header>
      {notice ? <NoticeBox notice={notice} onDismiss={() => setNotice(null)} /> : null}
      {items === null ? <p className="sb-muted">{t('common.loading')}</p> : null}
      {items?.length === 0 && !filtered ? (
        editable ? (
          <EmptyState onCreate={() => void create()} />
        ) : (
          <p className="sb-muted" data-testid="flows-empty">
            {t('flows.empty')}
          </p>
        )
      ) : null}
      {items?.length === 0 && filtered ? (
        <p className="sb-muted">
          {t('flowList.noMatch')}{' '}
          <button
            type="button"
            className="sb-link"
            onClick={() => {
              setSearch('');
              setStatus('all');
            }}
          >
            {t('flowList.clearFilters')}
          </button>
        </p>
      ) : null}
      {items && items.length > 0 ? (
        <table className="sb-table">
          <tbody>
            {items.map((f) => (
              <FlowRow
                key={f.id}
                flow={f}
                busy={busyId === f.id}
                editable={editable}
                onRename={(name) => rename(f, name)}
                onToggleActive={() => void toggleActive(f)}
                onDuplicate={() => void duplicate(f)}
                onDelete={() => void remove(f)}
              />
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

interface RowProps {
  flow: FlowRecord;
  busy: boolean;
  /** False for read-only roles: the row only opens the flow. */
  editable: boolean;
  /** Resolves to whether the new name was saved (the field stays open with the text otherwise). */
  onRename(name: string): Promise<boolean>;
  onToggleActive(): void;
  onDuplicate(): void;
  onDelete(): void;
}

function FlowRow({ flow: f, busy, editable, onRename, onToggleActive, onDuplicate, onDelete }: RowProps) {
  const lang = useLang();
  const now = Date.now();
  return (
    <tr data-testid={`flow-row-${f.id}`}>
      <td>
        {editable ? (
          <RenameField flow={f} onRename={onRename} />
        ) : (
          <strong data-testid={`flow-name-${f.id}`}>{f.name}</strong>
        )}
        <div className="sb-muted">{f.id}</div>
      </td>
      <td>
        <span className={`sb-badge ${f.active ? 'is-on' : ''}`}>
          {f.active ? t('flow.active') : t('flow.inactive')}
        </span>
        {f.valid === false ? <span className="sb-badge is-warn">{t('flow.draft')}</span> : null}
      </td>
      <td className="sb-muted">
        <div title={absoluteTime(f.updatedAt, lang)}>
          {t('flowList.versionN', { version: f.version })} ·{' '}
          {t('flowList.updated', { time: relativeTime(f.updatedAt, now, lang) })}
        </div>
        {f.nextRunAt ? (
          <div title={absoluteTime(f.nextRunAt, lang)} data-testid={`flow-next-run-${f.id}`}>
            {t('flowList.nextRun', { time: relativeTime(f.nextRunAt, now, lang) })}
          </div>
        ) : null}
      </td>
      <td className="sb-row-actions">
        <a
          href={`/flows/${f.id}`}
          onClick={(e) => {
            e.preventDefault();
            navigate(`/flows/${f.id}`);
          }}
          style={OPEN_STYLE}
          data-testid={`flow-open-${f.id}`}
        >
          {t('flowList.open')}
        </a>
        {editable ? (
          <>
            <button
              type="button"
              disabled={busy}
              onClick={onToggleActive}
              data-testid={`flow-activate-${f.id}`}
            >
              {f.active ? t('flow.deactivate') : t('flow.activate')}
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={onDuplicate}
              data-testid={`flow-duplicate-${f.id}`}
            >
              {t('flows.duplicate')}
            </button>
            <button type="button" disabled={busy} onClick={onDelete} data-testid={`flow-delete-${f.id}`}>
              {t('flows.delete')}
            </button>
          </>
        ) : null}
      </td>
    </tr>
  );
}

/**
 * The flow's name; a click turns it into a field. Enter or leaving the field saves, Escape cancels. The
 * button and the field share a test id, so a test can click, type and press Enter on one locator.
 */
function RenameField({ flow, onRename }: { flow: FlowRecord; onRename(name: string): Promise<boolean> }) {
  const [draft, setDraft] = useState<string | null>(null);
  const saving = useRef(false);
  const testId = `flow-rename-${flow.id}`;

  const commit = async () => {
    if (draft === null || saving.current) return;
    const name = draft.trim();
    if (name === flow.name) {
      setDraft(null);
      return;
    }
    saving.current = true;
    // An empty or refused name keeps the field open with what was typed.
    const saved = await onRename(name);
    saving.current = false;
    if (saved) setDraft(null);
  };

  if (draft === null) {
    return (
      <button
        type="button"
        className="sb-link"
        style={NAME_STYLE}
        title={t('flowList.renameHint')}
        onClick={() => setDraft(flow.name)}
        data-testid={testId}
      >
        {flow.name}
      </button>
    );
  }
  return (
    <input
      // biome-ignore lint/a11y/noAutofocus: the user just clicked the name to edit it.
      autoFocus
      value={draft}
      maxLength={200}
      aria-label={t('flowList.renameLabel', { name: flow.name })}
      aria-invalid={draft.trim() === ''}
      onChange={(e) => setDraft(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') void commit();
        if (e.key === 'Escape') setDraft(null);
      }}
      onBlur={() => void commit()}
      data-testid={testId}
    />
  );
}

function EmptyState({ onCreate }: { onCreate(): void }) {
  return (
    <div style={EMPTY_STYLE} data-testid="flows-empty">
      <h2>{t('flowList.emptyTitle')}</h2>
      <p className="sb-muted">{t('flowList.emptyHelp')}</p>
      <button type="button" className="sb-primary" onClick={onCreate} data-testid="create-first-flow">
        {t('flowList.createFirst')}
      </button>
    </div>
  );
}

function NoticeBox({ notice, onDismiss }: { notice: Notice; onDismiss(): void }) {
  return (
    <div className={`sb-notice is-${notice.kind}`} role="alert" data-testid="flows-notice">
      <span>
        {notice.text}
        {notice.problems?.length ? (
          <ul>
            {notice.problems.map((p) => (
              <li key={`${p.path}|${p.message}`}>
                <code>{p.path}</code> {p.message}
              </li>
            ))}
          </ul>
        ) : null}
      </span>
      <button type="button" className="sb-link" onClick={onDismiss}>
        {t('common.dismiss')}
      </button>
    </div>
  );
}

/**
 * Creates an empty draft flow with an id derived from its name (`Carrito abandonado` →
 * `carrito-abandonado`); when the id is taken, tries `-2`, `-3`… (the list on screen may be filtered,
 * so the server is the one that knows which ids are free).
 */
async function createEmptyFlow(name: string): Promise<SaveAnswer> {
  const base =
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(SLUG, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'flow';
  for (let attempt = 1; ; attempt++) {
    const id = attempt === 1 ? base : `${base}-${attempt}`;
    try {
      return await api.post<SaveAnswer>('/api/flows?draft=true', {
        schemaVersion: 1,
        id,
        name,
        nodes: [],
        edges: [],
      });
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'flow_exists') || attempt >= 50) throw error;
    }
  }
}

/** `value`, once it has stopped changing for `delayMs`. */
function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
