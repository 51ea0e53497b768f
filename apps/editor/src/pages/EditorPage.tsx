import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import { useCan } from '../auth/session';
import { Canvas } from '../canvas/Canvas';
import { useShortcuts } from '../canvas/useShortcuts';
import { t } from '../i18n';
import { Palette } from '../palette/Palette';
import { ProblemsPanel } from '../problems/ProblemsPanel';
import { navigate } from '../router';
import { errorNotice, useEditor } from '../store/editor';
import { downloadFlow, exportText, importFlowText } from '../store/import-export';
import { startServerChecks } from '../store/server-check';
import { lazyComponent } from '../ui/lazy';
import { NoticeBar } from '../ui/NoticeBar';
import { ReadOnlyBadge } from '../ui/ReadOnlyBadge';

type Tab = 'inspector' | 'simulator' | 'executions' | 'history';
/** The simulator sends messages and starts runs: only for those who may change flows. */
const READ_ONLY_TABS: readonly Tab[] = ['inspector', 'executions', 'history'];
const ALL_TABS: readonly Tab[] = ['inspector', 'simulator', 'executions', 'history'];

// The side panels are loaded apart from the canvas, so a flow is drawn before their code has arrived;
// the inspector's is fetched as soon as the browser is idle after that.
const loading = () => <p className="sb-pad sb-muted">{t('common.loading')}</p>;
const Inspector = lazyComponent(() => import('../inspector/Inspector').then((m) => m.Inspector), loading);
const SimulatorPanel = lazyComponent(
  () => import('../panels/SimulatorPanel').then((m) => m.SimulatorPanel),
  loading,
);
const ExecutionsPanel = lazyComponent(
  () => import('../panels/ExecutionsPanel').then((m) => m.ExecutionsPanel),
  loading,
);
const HistoryPanel = lazyComponent(
  () => import('../panels/HistoryPanel').then((m) => m.HistoryPanel),
  loading,
);

export function EditorPage({ flowId }: { flowId: string }) {
  const open = useEditor((s) => s.open);
  const close = useEditor((s) => s.close);
  const flow = useEditor((s) => s.flow);
  const notify = useEditor((s) => s.notify);
  const [loadError, setLoadError] = useState<string | null>(null);
  const editable = useCan('editFlows');

  useEffect(() => {
    setLoadError(null);
    open(flowId).catch((error) => setLoadError(errorNotice(error).text));
    return () => close();
  }, [flowId, open, close]);

  // A read-only flow does not change, and checking it is a write route: nothing to ask the server.
  useEffect(() => (editable ? startServerChecks() : undefined), [editable]);

  // Leaving with unsaved changes asks first.
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      const s = useEditor.getState();
      if (s.flow && s.flow !== s.saved) e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);

  if (loadError) {
    return (
      <div className="sb-pad">
        <p className="sb-error">{loadError}</p>
        <button type="button" onClick={() => navigate('/')}>
          {t('editor.backToFlows')}
        </button>
      </div>
    );
  }
  if (!flow) return <p className="sb-pad sb-muted">{t('common.loading')}</p>;
  return (
    <ReactFlowProvider>
      <EditorLayout onError={(e) => notify(errorNotice(e))} />
    </ReactFlowProvider>
  );
}

function EditorLayout({ onError }: { onError: (e: unknown) => void }) {
  const [tab, setTab] = useState<Tab>('inspector');
  const entries = useEditor((s) => s.catalogEntries);
  const selectedNodes = useEditor((s) => s.selectedNodes);
  const apply = useEditor((s) => s.apply);
  const select = useEditor((s) => s.select);
  const notify = useEditor((s) => s.notify);
  const editable = useCan('editFlows');
  const { getInternalNode, screenToFlowPosition } = useReactFlow();
  useShortcuts();
  useEffect(() => {
    const preload = () => void Inspector.preload();
    if (typeof requestIdleCallback !== 'function') return preload();
    const handle = requestIdleCallback(preload, { timeout: 2_000 });
    return () => cancelIdleCallback(handle);
  }, []);

  // Click in the palette: add after the selected node (wired to its first free output), or in the middle.
  const addFromPalette = (type: string) => {
    const { flow } = useEditor.getState();
    if (!flow) return;
    const after = selectedNodes.length === 1 ? flow.nodes.find((n) => n.id === selectedNodes[0]) : undefined;
    let position = screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 });
    let connectFrom: { nodeId: string; port: string } | undefined;
    if (after) {
      const width = getInternalNode(after.id)?.measured?.width ?? 220;
      const siblings = flow.edges.filter((e) => e.source === after.id).length;
      position = { x: after.position.x + width + 80, y: after.position.y + siblings * 110 };
      const rf = getInternalNode(after.id);
      const ports = (rf?.data as { outputs?: string[] } | undefined)?.outputs ?? ['out'];
      const used = new Set(flow.edges.filter((e) => e.source === after.id).map((e) => e.sourcePort));
      const port = ports.find((p) => !used.has(p)) ?? ports[0];
      if (port) connectFrom = { nodeId: after.id, port };
    }
    const result = apply({
      op: 'addNode',
      node: { type, position },
      ...(connectFrom ? { connectFrom } : {}),
    });
    if (!result.ok) notify({ kind: 'error', text: result.message });
    else select(result.created, []);
  };

  const onImportFile = (file: File) => {
    file
      .text()
      .then((text) => importFlowText(text, file.name))
      .catch(onError);
  };

  return (
    <div className="sb-editor">
      <TopBar onImportFile={onImportFile} />
      <NoticeBar />
      <div className="sb-editor-body">
        {editable ? <Palette entries={entries} onAdd={addFromPalette} /> : null}
        <main className="sb-editor-main">
          <Canvas onImportFile={onImportFile} />
          <ProblemsPanel />
        </main>
        <aside className="sb-side">
          <div className="sb-tabs" role="tablist">
            {(editable ? ALL_TABS : READ_ONLY_TABS).map((id) => (
              <button
                type="button"
                role="tab"
                key={id}
                aria-selected={tab === id}
                className={tab === id ? 'is-active' : ''}
                onClick={() => setTab(id)}
                data-testid={`tab-${id}`}
              >
                {t(`tab.${id}`)}
              </button>
            ))}
          </div>
          <div className="sb-side-body">
            {tab === 'inspector' ? <Inspector /> : null}
            {tab === 'simulator' && editable ? <SimulatorPanel /> : null}
            {tab === 'executions' ? <ExecutionsPanel /> : null}
            {tab === 'history' ? <HistoryPanel /> : null}
          </div>
        </aside>
      </div>
    </div>
  );
}

function TopBar({ onImportFile }: { onImportFile: (file: File) => void }) {
  const flow = useEditor((s) => s.flow)!;
  const record = useEditor((s) => s.record)!;
  const saved = useEditor((s) => s.saved);
  const saving = useEditor((s) => s.saving);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const s = useEditor.getState();
  const fileInput = useRef<HTMLInputElement>(null);
  const dirty = flow !== saved;
  const editable = useCan('editFlows');

  const copyToClipboard = async () => {
    try {
      await navigator.clipboard.writeText(exportText(flow));
      // exportText warns when it emptied a secret; that notice stays.
      if (useEditor.getState().notice?.kind !== 'error') s.notify({ kind: 'info', text: t('export.copied') });
    } catch (error) {
      s.notify(errorNotice(error));
    }
  };

  return (
    <header className="sb-topbar">
      <button type="button" className="sb-link" onClick={() => navigate('/')}>
        ← {t('editor.flows')}
      </button>
      <input
        className="sb-flow-name"
        value={flow.name}
        readOnly={!editable}
        aria-label={t('editor.flowName')}
        onChange={(e) => s.apply({ op: 'updateFlow', patch: { name: e.target.value } }, 'flow:name')}
        data-testid="flow-name"
      />
      <span className={`sb-badge ${record.active ? 'is-on' : ''}`} data-testid="flow-status">
        {record.active ? t('flow.active') : t('flow.inactive')} · v{record.version}
      </span>
      {editable ? null : <ReadOnlyBadge />}
      {dirty ? (
        <span className="sb-muted" data-testid="unsaved">
          {t('editor.unsaved')}
        </span>
      ) : null}
      <span className="sb-spacer" />
      {editable ? (
        <>
          <EditButtons canUndo={canUndo} canRedo={canRedo} onImport={() => fileInput.current?.click()} />
          <input
            ref={fileInput}
            type="file"
            accept="application/json,.json"
            hidden
            data-testid="import-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) onImportFile(file);
              e.target.value = '';
            }}
          />
        </>
      ) : null}
      <button type="button" onClick={() => downloadFlow(flow)} data-testid="export">
        {t('editor.export')}
      </button>
      <button type="button" onClick={() => void copyToClipboard()} data-testid="export-clipboard">
        {t('editor.copyJson')}
      </button>
      {editable ? (
        <>
          <button type="button" onClick={() => void s.setActive(!record.active)} data-testid="toggle-active">
            {record.active ? t('flow.deactivate') : t('flow.activate')}
          </button>
          <button
            type="button"
            className="sb-primary"
            onClick={() => void s.save()}
            disabled={saving}
            title="Ctrl+S"
            data-testid="save"
          >
            {saving ? t('editor.saving') : t('editor.save')}
          </button>
        </>
      ) : null}
    </header>
  );
}

function EditButtons({
  canUndo,
  canRedo,
  onImport,
}: {
  canUndo: boolean;
  canRedo: boolean;
  onImport(): void;
}) {
  const s = useEditor.getState();
  return (
    <>
      <button type="button" onClick={() => s.undo()} disabled={!canUndo} title="Ctrl+Z">
        {t('editor.undo')}
      </button>
      <button type="button" onClick={() => s.redo()} disabled={!canRedo} title="Ctrl+Shift+Z">
        {t('editor.redo')}
      </button>
      <button type="button" onClick={() => window.dispatchEvent(new Event('sb:layout'))} title="Shift+L">
        {t('editor.layout')}
      </button>
      <button type="button" onClick={onImport} data-testid="import">
        {t('editor.import')}
      </button>
    </>
  );
}
