import { useState } from 'react';
import { t } from '../../i18n';
import type { DiffModel, FieldRow, NodeGroup } from './diff-model';
import { trimText, valueText } from './format';

/** Names of the fields outside params, in the words the inspector uses for them. */
const FIELD_LABELS: Record<string, string> = {
  name: 'editor.flowName',
  description: 'history.field.description',
  'settings.timezone': 'history.field.timezone',
  'settings.errorPolicy': 'history.field.errorPolicy',
  type: 'history.field.type',
  label: 'inspector.label',
  notes: 'inspector.notes',
  onError: 'inspector.onError',
  retry: 'inspector.retries',
  timeoutMs: 'history.field.timeoutMs',
};

function fieldLabel(field: FieldRow): string {
  if (field.param) return field.path;
  const exact = FIELD_LABELS[field.path];
  if (exact) return t(exact);
  // `retry.maxAttempts` → "Tries · maxAttempts": the section in the inspector's words, then the detail.
  const [head, ...rest] = field.path.split('.');
  const section = head ? FIELD_LABELS[head] : undefined;
  return section ? `${t(section)} · ${rest.join('.')}` : field.path;
}

/** What changed between two versions, grouped by node; moves are folded away at the end. */
export function DiffView({ model }: { model: DiffModel }) {
  if (model.count === 0 && model.moved.length === 0) {
    return <p className="sb-muted">{t('history.same')}</p>;
  }
  return (
    <div className="sb-diff">
      <p className="sb-muted">{t('history.summary', { n: model.count })}</p>
      {model.flowFields.length > 0 ? (
        <section>
          <h3>{t('history.flowSettings')}</h3>
          <FieldList fields={model.flowFields} />
        </section>
      ) : null}
      {model.nodes.length > 0 ? (
        <section>
          <h3>{t('history.nodes')}</h3>
          {model.nodes.map((group) => (
            <NodeChange key={`${group.kind}:${group.id}`} group={group} />
          ))}
        </section>
      ) : null}
      {model.edges.length > 0 ? (
        <section>
          <h3>{t('history.connections')}</h3>
          <ul className="sb-diff-edges">
            {model.edges.map((edge) => (
              <li key={`${edge.kind}:${edge.id}`} className={`is-${edge.kind}`}>
                <span className={`sb-diff-kind is-${edge.kind}`}>{t(`history.kind.${edge.kind}`)}</span>{' '}
                {edge.text}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {model.moved.length > 0 ? (
        <details className="sb-diff-moved" data-testid="history-moved">
          <summary>{t('history.movedCount', { n: model.moved.length })}</summary>
          <ul>
            {model.moved.map((m) => (
              <li key={m.id}>{m.title}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function NodeChange({ group }: { group: NodeGroup }) {
  return (
    <div className={`sb-diff-node is-${group.kind}`} data-testid={`history-node-${group.id}`}>
      <div className="sb-diff-node-head">
        <span className={`sb-diff-kind is-${group.kind}`}>{t(`history.kind.${group.kind}`)}</span>
        <strong>{group.title}</strong>
        {/* A custom label is paired with the type; a bare type title with the id, to tell two "Send text" apart. */}
        {group.typeTitle ? (
          <span className="sb-muted">{group.typeTitle}</span>
        ) : (
          <code className="sb-muted">{group.id}</code>
        )}
      </div>
      {group.fields.length > 0 ? (
        <FieldList fields={group.fields} onlyOneSide={group.kind !== 'changed'} />
      ) : null}
    </div>
  );
}

/** Fields as before → after; `onlyOneSide` (a node added or removed) shows just the value it has. */
function FieldList({ fields, onlyOneSide = false }: { fields: FieldRow[]; onlyOneSide?: boolean }) {
  return (
    <dl className="sb-diff-fields">
      {fields.map((field) => (
        <div key={field.path} className="sb-diff-field">
          <dt className={field.param ? 'is-param' : ''}>{fieldLabel(field)}</dt>
          {onlyOneSide ? (
            <dd>
              <ValueText value={field.after ?? field.before} className="is-plain" />
            </dd>
          ) : (
            <dd>
              <ValueText value={field.before} className="is-before" />
              <span className="sb-diff-arrow" aria-hidden="true">
                →
              </span>
              <ValueText value={field.after} className="is-after" />
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}

/** A value with long text cut short; the user can unfold it. */
function ValueText({ value, className }: { value: unknown; className: string }) {
  const [expanded, setExpanded] = useState(false);
  const text = valueText(value);
  if (text === null)
    return <span className={`sb-diff-value is-unset ${className}`}>{t('history.notSet')}</span>;
  if (text === '') return <span className={`sb-diff-value is-unset ${className}`}>{t('history.empty')}</span>;
  const short = trimText(text);
  return (
    <span className={`sb-diff-value ${className}`}>
      {expanded || !short.trimmed ? text : short.text}
      {short.trimmed ? (
        <button type="button" className="sb-link" onClick={() => setExpanded(!expanded)}>
          {expanded ? t('history.showLess') : t('history.showAll')}
        </button>
      ) : null}
    </span>
  );
}
