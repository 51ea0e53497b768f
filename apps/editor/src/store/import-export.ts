import { type Flow, validateFlow, withoutInlineSecrets } from '@switchboard/flow-schema';
import { t } from '../i18n';
import { useEditor } from './editor';

/**
 * Imports a flow document into the open flow (one undoable step). A document that is not JSON or not
 * shaped like a flow is refused with its problems by path, and the current flow stays as it is.
 * The open flow keeps its id, so saving writes a new version of it.
 */
export function importFlowText(text: string, source: string): boolean {
  const state = useEditor.getState();
  if (!state.flow || !state.catalog) return false;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    state.notify({
      kind: 'error',
      text: t('import.notJson', { source }),
      problems: [{ path: '$', message: (error as Error).message }],
    });
    return false;
  }
  const result = validateFlow(doc, state.catalog);
  if (!result.flow) {
    state.notify({ kind: 'error', text: t('import.notFlow', { source }), problems: result.problems });
    return false;
  }
  const imported: Flow = { ...result.flow, id: state.flow.id };
  const applied = state.apply({ op: 'replace', flow: imported });
  if (!applied.ok) {
    state.notify({ kind: 'error', text: applied.message });
    return false;
  }
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  state.notify({
    kind: errors > 0 ? 'error' : 'info',
    text: errors > 0 ? t('import.doneWithProblems', { source, n: errors }) : t('import.done', { source }),
  });
  return true;
}

/**
 * The open flow as portable JSON (what the server's export returns for a saved version). A secret typed
 * into a node is emptied (the problems panel already flags it) and the user is told where.
 */
export function exportText(flow: Flow): string {
  const { flow: clean, removed } = withoutInlineSecrets(flow);
  if (removed.length > 0) {
    useEditor.getState().notify({
      kind: 'error',
      text: t('export.secretsRemoved', { n: removed.length }),
      problems: removed.map((path) => ({ path, message: t('export.secretRemoved') })),
    });
  }
  return `${JSON.stringify(clean, null, 2)}\n`;
}

export function downloadFlow(flow: Flow): void {
  const blob = new Blob([exportText(flow)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${flow.id}.flow.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
