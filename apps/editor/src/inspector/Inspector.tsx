import type { OnError } from '@switchboard/flow-schema';
import { useMemo } from 'react';
import { useCan } from '../auth/session';
import { t, useLang } from '../i18n';
import { StepDetails } from '../panels/StepDetails';
import { useEditor } from '../store/editor';
import { ParamsForm } from './ParamsForm';

/** Settings of the selected node: its params form, name, error handling and notes. */
export function Inspector() {
  const lang = useLang();
  const flow = useEditor((s) => s.flow);
  const selected = useEditor((s) => s.selectedNodes);
  const entryByType = useEditor((s) => s.entryByType);
  const problems = useEditor((s) => s.problems);
  const serverProblems = useEditor((s) => s.serverProblems);
  const apply = useEditor((s) => s.apply);
  const editable = useCan('editFlows');
  const index = flow && selected.length === 1 ? flow.nodes.findIndex((n) => n.id === selected[0]) : -1;
  const node = index >= 0 ? flow?.nodes[index] : undefined;
  const entry = node ? entryByType.get(node.type) : undefined;

  const paramProblems = useMemo(() => {
    const prefix = `$.nodes[${index}].params`;
    return [...problems, ...serverProblems]
      .filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`))
      .map((p) => ({ path: p.path.slice(prefix.length).replace(/^\./, ''), message: p.message }));
  }, [problems, serverProblems, index]);

  if (!flow) return null;
  if (selected.length > 1)
    return <p className="sb-muted sb-pad">{t('inspector.many', { n: selected.length })}</p>;
  if (!node) return <p className="sb-muted sb-pad">{t('inspector.none')}</p>;
  const patch = (p: Parameters<typeof apply>[0] & { op: 'updateNode' }) =>
    apply(p, `${p.id}:${Object.keys(p.patch)[0]}`);

  return (
    <div className="sb-inspector" data-testid="inspector">
      <header>
        <h2>{entry?.labels[lang].title ?? node.type}</h2>
        <p className="sb-muted">
          {entry?.labels[lang].description ?? t('inspector.unknownType', { type: node.type })}
        </p>
      </header>
      {/* Read-only roles read the same form, with every control disabled. */}
      <fieldset className="sb-fieldset" disabled={!editable} data-testid="inspector-fields">
        <label className="sb-field">
          <span>{t('inspector.label')}</span>
          <input
            value={node.label ?? ''}
            placeholder={entry?.labels[lang].title}
            onChange={(e) =>
              patch({ op: 'updateNode', id: node.id, patch: { label: e.target.value || null } })
            }
            data-testid="inspector-label"
          />
        </label>
        {entry ? (
          <ParamsForm
            key={node.id}
            nodeId={node.id}
            entry={entry}
            params={node.params}
            problems={paramProblems}
            onChange={(params, field) =>
              apply({ op: 'updateNode', id: node.id, patch: { params } }, `${node.id}:params:${field}`)
            }
          />
        ) : null}
        <details className="sb-advanced">
          <summary>{t('inspector.advanced')}</summary>
          {entry && !entry.trigger ? (
            <label className="sb-field">
              <span>{t('inspector.onError')}</span>
              <select
                value={node.onError ?? ''}
                onChange={(e) =>
                  patch({
                    op: 'updateNode',
                    id: node.id,
                    patch: { onError: (e.target.value || null) as OnError | null },
                  })
                }
              >
                <option value="">{t('inspector.onError.default')}</option>
                <option value="fail">{t('inspector.onError.fail')}</option>
                <option value="continue">{t('inspector.onError.continue')}</option>
                <option value="errorPort">{t('inspector.onError.errorPort')}</option>
              </select>
            </label>
          ) : null}
          {entry?.sideEffect ? (
            <label className="sb-field">
              <span>{t('inspector.retries')}</span>
              <input
                type="number"
                min={1}
                max={10}
                value={node.retry?.maxTries ?? 1}
                onChange={(e) => {
                  const maxTries = Math.min(10, Math.max(1, Number(e.target.value) || 1));
                  patch({
                    op: 'updateNode',
                    id: node.id,
                    patch: {
                      retry:
                        maxTries === 1
                          ? null
                          : { backoffMs: 1_000, maxBackoffMs: 60_000, jitter: 0.2, ...node.retry, maxTries },
                    },
                  });
                }}
              />
            </label>
          ) : null}
          <label className="sb-field">
            <span>{t('inspector.notes')}</span>
            <textarea
              rows={3}
              value={node.notes ?? ''}
              onChange={(e) =>
                patch({ op: 'updateNode', id: node.id, patch: { notes: e.target.value || null } })
              }
            />
          </label>
        </details>
      </fieldset>
      <StepDetails nodeId={node.id} />
    </div>
  );
}
