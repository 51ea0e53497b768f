import { useRef, useState } from 'react';
import { t } from '../../i18n';
import { useForm } from '../form-context';
import type { RecordModel } from '../model/field-model';
import { isRecord } from '../model/json-schema';
import { type Path, pathKey } from '../model/paths';
import { jsonText, parseJson } from './drafts';
import { FieldShell } from './FieldShell';
import { ItemButtons } from './TagsField';
import { VariableInput } from './VariableInput';

interface Row {
  key: string;
  value: string;
  /** The value is JSON (it was stored as a number, list or object), not text. */
  json: boolean;
}

function rowsOf(value: unknown): Row[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).map(([key, v]) => ({
    key,
    value: typeof v === 'string' ? v : jsonText(v),
    json: typeof v !== 'string',
  }));
}

/**
 * Free keys and values (a schedule's payload, another flow's input) as rows. The rows are the user's
 * draft: a row without a name, or a repeated name, stays on screen and is left out of the stored
 * object until it is named (the later of two equal names wins, with a warning).
 */
export function RecordField({ model, path, value }: { model: RecordModel; path: Path; value: unknown }) {
  const form = useForm();
  const key = pathKey(path);
  const [rows, setRows] = useState<Row[]>(() => rowsOf(value));
  const lastWritten = useRef<unknown>(value);
  // Undo, redo or another edit changed the value under us: show what is stored now.
  if (value !== lastWritten.current) {
    lastWritten.current = value;
    setRows(rowsOf(value));
  }

  const write = (next: Row[]) => {
    setRows(next);
    const object: Record<string, unknown> = {};
    for (const row of next) {
      const name = row.key.trim();
      if (!name) continue;
      if (!row.json) object[name] = row.value;
      else {
        const parsed = parseJson(row.value);
        object[name] = parsed.ok ? parsed.value : row.value;
      }
    }
    const stored = Object.keys(object).length === 0 && model.default === undefined ? undefined : object;
    lastWritten.current = stored;
    form.set(path, stored);
  };

  const update = (i: number, patch: Partial<Row>) =>
    write(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const names = rows.map((r) => r.key.trim());

  return (
    <FieldShell model={model} path={path}>
      {rows.length > 0 ? (
        <div className="sbf-kv">
          {rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; names change while typing
            <div className="sbf-kv-row" key={i}>
              <input
                value={row.key}
                placeholder={t('record.key')}
                aria-label={t('record.key')}
                onChange={(e) => update(i, { key: e.target.value })}
                aria-invalid={(row.key.trim() !== '' && names.indexOf(row.key.trim()) !== i) || undefined}
                data-testid={`param-${key}.${i}.key`}
              />
              <VariableInput
                value={row.value}
                placeholder={t('record.value')}
                ariaLabel={t('record.value')}
                monospace={row.json}
                onChange={(text) => update(i, { value: text })}
                testId={`param-${key}.${i}.value`}
              />
              <ItemButtons
                testId={`param-${key}.${i}`}
                onRemove={() => write(rows.filter((_, j) => j !== i))}
              />
            </div>
          ))}
        </div>
      ) : null}
      {names.some((n, i) => n !== '' && names.indexOf(n) !== i) ? (
        <p className="sbf-warning">{t('record.repeated')}</p>
      ) : null}
      <button
        type="button"
        className="sbf-add"
        onClick={() => setRows([...rows, { key: '', value: '', json: false }])}
        data-testid={`param-${key}-add`}
      >
        + {t('record.add')}
      </button>
    </FieldShell>
  );
}
