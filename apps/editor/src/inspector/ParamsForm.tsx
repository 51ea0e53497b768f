import type { NodeCatalogEntry } from '@switchboard/flow-schema';
import { useMemo, useRef } from 'react';
import { t, useLang } from '../i18n';
import { useEditor } from '../store/editor';
import { FieldsOrNothing } from './fields/FieldsOrNothing';
import { ProblemList } from './fields/ProblemList';
import { FormContext, type FormContextValue } from './form-context';
import { paramsModel } from './model/field-model';
import { assignProblems, type Path, pathKey, setIn } from './model/paths';
import { availableVariables, upstreamChoiceIds } from './model/variables';
import { fieldPaths, unknownKeys } from './model/walk';
import './inspector.css';

export interface ParamsFormProps {
  nodeId: string;
  entry: NodeCatalogEntry;
  params: Record<string, unknown>;
  /** The whole new params, and the dot path of the field that changed (one undo step per field). */
  onChange: (params: Record<string, unknown>, field: string) => void;
  /** Problems on this node's params, by path relative to params (e.g. `buttons[0].title`). */
  problems: ReadonlyArray<{ path: string; message: string }>;
}

/**
 * The node's settings, generated from its params JSON Schema (`GET /api/node-types`): a field per
 * property with a widget for its type or format, problems next to the field they are about, and `{{ }}`
 * completion from what this node can read. Every edit goes out at once as the whole params object;
 * values that do not validate yet are stored as typed, so nothing the user wrote is dropped.
 */
export function ParamsForm({ nodeId, entry, params, onChange, problems }: ParamsFormProps) {
  useLang();
  const flow = useEditor((s) => s.flow);
  const model = useMemo(() => paramsModel(entry.paramsSchema, entry.type), [entry]);
  const assigned = useMemo(
    () => assignProblems(problems, fieldPaths(model, params)),
    [problems, model, params],
  );
  const nodes = flow?.nodes;
  const edges = flow?.edges;
  const variables = useMemo(
    () => (nodes && edges ? availableVariables({ nodes, edges }, nodeId) : []),
    [nodes, edges, nodeId],
  );
  const choiceIds = useMemo(
    () => (nodes && edges ? upstreamChoiceIds({ nodes, edges }, nodeId) : []),
    [nodes, edges, nodeId],
  );

  // Several edits can come before React re-renders (a chip added on blur, then a click): each one builds
  // on the latest params, not on the ones this render saw.
  const latest = useRef(params);
  latest.current = params;

  const context = useMemo<FormContextValue>(() => {
    const under = (path: string) =>
      [...assigned.entries()]
        .filter(([key]) => path === '' || key === path || key.startsWith(`${path}.`))
        .flatMap(([, messages]) => messages);
    return {
      nodeId,
      nodeType: entry.type,
      params,
      variables,
      choiceIds,
      flowTimezone: flow?.settings.timezone ?? 'UTC',
      problemsAt: (path) => assigned.get(path) ?? [],
      problemsUnder: under,
      set: (path: Path, value: unknown) => {
        const next = setIn(latest.current, path, value) as Record<string, unknown>;
        latest.current = next;
        onChange(next, pathKey(path));
      },
    };
  }, [nodeId, entry.type, params, variables, choiceIds, flow?.settings.timezone, assigned, onChange]);

  const extra = unknownKeys(model, params);
  return (
    <FormContext.Provider value={context}>
      <div className="sbf-form" data-testid="params-form">
        <ProblemList problems={assigned.get('') ?? []} testId="problem-params" />
        <FieldsOrNothing model={model} params={params} />
        {extra.length > 0 ? (
          <div className="sbf-unknown" data-testid="params-unknown">
            <p className="sbf-help">{t('form.unknownKeys')}</p>
            {extra.map((key) => (
              <div className="sbf-unknown-row" key={key}>
                <code>
                  {key}: {JSON.stringify(params[key])}
                </code>
                <button
                  type="button"
                  className="sbf-link"
                  onClick={() => context.set([key], undefined)}
                  data-testid={`param-${key}-remove`}
                >
                  {t('form.remove')}
                </button>
              </div>
            ))}
          </div>
        ) : null}
      </div>
    </FormContext.Provider>
  );
}
