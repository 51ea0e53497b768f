import { useMemo, useState } from 'react';
import { ApiError, api } from '../api/client';
import type { SaveAnswer } from '../api/types';
import { t, useLang } from '../i18n';
import { errorNotice, type Notice, useEditor } from '../store/editor';
import { ComparePicker } from './history/ComparePicker';
import { DiffView } from './history/DiffView';
import { buildDiffModel, type Naming } from './history/diff-model';
import { type CompareTarget, useVersionDocuments, useVersionList } from './history/useVersions';
import { VersionList } from './history/VersionList';
import './history/history.css';

/** The side panel's history tab: every saved version, what changed between any two, and restore. */
export function HistoryPanel() {
  const record = useEditor((s) => s.record);
  if (!record) return null;
  return <History flowId={record.id} current={record.version} />;
}

/** What the user picked; null means the default (the version before the current one, the current one). */
interface Picked {
  from: number | null;
  to: CompareTarget | null;
}

function History({ flowId, current }: { flowId: string; current: number }) {
  const { items, error } = useVersionList(flowId, current);
  const editorFlow = useEditor((s) => s.flow);
  const dirty = useEditor((s) => s.flow !== s.saved);
  const [picked, setPicked] = useState<Picked>({ from: null, to: null });
  const [restoring, setRestoring] = useState<number | null>(null);
  const naming = useNaming();

  const previous = items?.find((v) => v.version < current)?.version ?? null;
  const from = picked.from ?? previous;
  // "Unsaved edits" stops being a choice once they are saved; the comparison then follows the save.
  const to = picked.to === null || (picked.to === 'editor' && !dirty) ? current : picked.to;
  const { documents, error: documentError } = useVersionDocuments(flowId, from === null ? [to] : [from, to]);
  const before = from === null ? undefined : documents.get(from);
  const after = to === 'editor' ? editorFlow : documents.get(to);
  const model = useMemo(
    () => (before && after ? buildDiffModel(before, after, naming) : null),
    [before, after, naming],
  );

  const restore = async (version: number) => {
    const store = useEditor.getState();
    // The server would refuse it (an active flow only takes valid versions): say so before asking.
    if (store.record?.active && items?.find((v) => v.version === version)?.valid === false) {
      store.notify({ kind: 'error', text: t('history.activeRefused', { version }) });
      return;
    }
    const question = t('history.confirmRestore', { version });
    const unsaved = store.flow !== store.saved;
    if (!window.confirm(unsaved ? `${question}\n\n${t('history.unsavedWarning')}` : question)) return;
    setRestoring(version);
    try {
      const answer = await api.post<SaveAnswer>(
        `/api/flows/${encodeURIComponent(flowId)}/versions/${version}/restore`,
      );
      // The restored document is now the latest version: load it into the editor (this drops unsaved edits).
      await store.open(flowId);
      setPicked({ from: null, to: null });
      const vars = { version, newVersion: answer.flow.version };
      store.notify({
        kind: 'info',
        text: answer.problems?.length ? t('history.restoredDraft', vars) : t('history.restored', vars),
      });
    } catch (e) {
      store.notify(restoreErrorNotice(e, version));
    } finally {
      setRestoring(null);
    }
  };

  if (error) return <p className="sb-error sb-pad">{error}</p>;
  if (!items) return <p className="sb-muted sb-pad">{t('common.loading')}</p>;
  return (
    <div className="sb-history">
      <h2>{t('history.title')}</h2>
      <VersionList
        items={items}
        current={current}
        selected={from}
        restoring={restoring}
        onSelect={(version) =>
          setPicked(version === current ? { from: null, to: null } : { from: version, to: null })
        }
        onRestore={(version) => void restore(version)}
      />
      {items.length < 2 ? (
        <p className="sb-muted">{t('history.onlyOne')}</p>
      ) : (
        <>
          <ComparePicker
            items={items}
            from={from}
            to={to}
            canPickEditor={dirty}
            onChange={(next) => setPicked({ from: next.from, to: next.to === current ? null : next.to })}
          />
          <div data-testid="history-diff" aria-live="polite">
            {documentError ? <p className="sb-error">{documentError}</p> : null}
            {model ? <DiffView model={model} /> : null}
            {!model && !documentError && from !== null ? (
              <p className="sb-muted">{t('common.loading')}</p>
            ) : null}
          </div>
        </>
      )}
    </div>
  );
}

/** Node and port names in the user's language, from the catalog the editor already loaded. */
function useNaming(): Naming {
  const entryByType = useEditor((s) => s.entryByType);
  const lang = useLang();
  return useMemo(
    () => ({
      typeTitle: (type) => entryByType.get(type)?.labels[lang].title ?? type,
      portLabel: (port) => {
        const key = `port.${port}`;
        const text = t(key);
        return text === key ? port : text;
      },
    }),
    [entryByType, lang],
  );
}

/** An active flow refuses a restore of a draft; say so in the user's language, with what to do. */
function restoreErrorNotice(error: unknown, version: number): Notice {
  if (error instanceof ApiError && error.code === 'flow_active') {
    return { kind: 'error', text: t('history.activeRefused', { version }), problems: error.problems };
  }
  return errorNotice(error);
}
