import { type ClipboardEvent, type KeyboardEvent, useId, useState } from 'react';
import { t } from '../../i18n';
import { useForm } from '../form-context';
import type { TagsModel } from '../model/field-model';
import { itemsLimit } from '../model/limits';
import { moveItem, type Path, pathKey, removeItem } from '../model/paths';
import { FieldShell } from './FieldShell';
import { LimitCounter } from './LimitCounter';
import { TextField } from './TextField';

/**
 * A list of words (keywords, tags, ids, holidays) as chips: Enter or a comma adds what was typed, a
 * pasted "a, b, c" adds three, Backspace in the empty input takes the last one back for editing, and
 * leaving the input keeps what was typed as a chip. Ordered lists (template parameters) are rows.
 */
export function TagsField({ model, path, value }: { model: TagsModel; path: Path; value: unknown }) {
  if (model.ordered) return <OrderedListField model={model} path={path} value={value} />;
  return <ChipsField model={model} path={path} value={value} />;
}

function toStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) : [];
}

function ChipsField({ model, path, value }: { model: TagsModel; path: Path; value: unknown }) {
  const form = useForm();
  const id = useId();
  const key = pathKey(path);
  const [text, setText] = useState('');
  const items = Array.isArray(value) ? value : [];
  const labels = toStrings(value);
  const isDate = model.item.format === 'date';
  const full = model.maxItems !== undefined && items.length >= model.maxItems;

  const add = (raw: string) => {
    const words = raw
      .split(isDate ? /[\s,;]+/ : /[,\n]+/)
      .map((w) => w.trim())
      .filter((w) => w !== '' && !labels.includes(w));
    const unique = [...new Set(words)];
    if (unique.length > 0) form.set(path, [...items, ...unique]);
    setText('');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || (e.key === ',' && !isDate)) {
      e.preventDefault();
      add(text);
    } else if (e.key === 'Backspace' && text === '' && items.length > 0) {
      e.preventDefault();
      setText(labels[labels.length - 1] ?? '');
      form.set(path, items.slice(0, -1));
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    const pasted = e.clipboardData.getData('text');
    if (!/[,\n]/.test(pasted)) return;
    e.preventDefault();
    add(text + pasted);
  };

  const aside =
    model.maxItems !== undefined ? (
      <LimitCounter limit={itemsLimit(items, model.maxItems)} testId={`param-${key}-count`} />
    ) : null;
  return (
    <FieldShell model={model} path={path} aside={aside} htmlFor={id}>
      <div className="sbf-chips" data-testid={`param-${key}`}>
        {labels.map((label, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the same word may be there twice; chips hold no state
          <span className="sbf-chip" key={`${label}-${i}`} data-testid={`param-${key}-chip-${i}`}>
            {label}
            <button
              type="button"
              aria-label={t('chips.remove', { value: label })}
              onClick={() => form.set(path, removeItem(items, i))}
              data-testid={`param-${key}-remove-${i}`}
            >
              ×
            </button>
          </span>
        ))}
        <input
          id={id}
          type={isDate ? 'date' : 'text'}
          value={text}
          placeholder={labels.length === 0 ? t(isDate ? 'chips.addDate' : 'chips.placeholder') : ''}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => add(text)}
          disabled={full}
          data-testid={`param-${key}-input`}
          list={model.hint.suggest === 'choiceIds' && form.choiceIds.length ? `${id}-ids` : undefined}
        />
        {isDate ? (
          <button
            type="button"
            className="sbf-small"
            onClick={() => add(text)}
            disabled={!text}
            data-testid={`param-${key}-add`}
          >
            {t('form.add')}
          </button>
        ) : null}
      </div>
      {model.hint.suggest === 'choiceIds' ? (
        <datalist id={`${id}-ids`}>
          {form.choiceIds.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
      ) : null}
    </FieldShell>
  );
}

/** Values in order (template {{1}}, {{2}}…): one row each, with `{{ }}` completion, movable. */
function OrderedListField({ model, path, value }: { model: TagsModel; path: Path; value: unknown }) {
  const form = useForm();
  const key = pathKey(path);
  const items = Array.isArray(value) ? value : [];
  const full = model.maxItems !== undefined && items.length >= model.maxItems;
  const itemModel =
    model.item.kind === 'text' ? model.item : { ...model.item, kind: 'text' as const, multiline: false };
  const aside =
    model.maxItems !== undefined ? (
      <LimitCounter limit={itemsLimit(items, model.maxItems)} testId={`param-${key}-count`} />
    ) : null;
  return (
    <FieldShell model={model} path={path} aside={aside}>
      <ol className="sbf-ordered">
        {items.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: positions are the identity of template parameters
          <li key={i}>
            <span className="sbf-ordered-n">{`{{${i + 1}}}`}</span>
            <TextField model={itemModel} path={[...path, i]} value={item} bare keepEmpty />
            <ItemButtons
              testId={`param-${key}.${i}`}
              onUp={i > 0 ? () => form.set(path, moveItem(items, i, i - 1)) : undefined}
              onDown={i < items.length - 1 ? () => form.set(path, moveItem(items, i, i + 1)) : undefined}
              onRemove={() => form.set(path, removeItem(items, i))}
            />
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="sbf-add"
        onClick={() => form.set(path, [...items, ''])}
        disabled={full}
        data-testid={`param-${key}-add`}
      >
        + {t('form.addValue')}
      </button>
    </FieldShell>
  );
}

/** Move up / move down / remove, for items of lists. */
export function ItemButtons({
  testId,
  onUp,
  onDown,
  onRemove,
  removeDisabledReason,
}: {
  testId: string;
  onUp?: () => void;
  onDown?: () => void;
  onRemove: () => void;
  removeDisabledReason?: string;
}) {
  // Arrows only where there is something to move past.
  const movable = onUp !== undefined || onDown !== undefined;
  return (
    <span className="sbf-item-buttons">
      {movable ? (
        <>
          <button
            type="button"
            onClick={onUp}
            disabled={!onUp}
            title={t('form.moveUp')}
            aria-label={t('form.moveUp')}
            data-testid={`${testId}-up`}
          >
            ↑
          </button>
          <button
            type="button"
            onClick={onDown}
            disabled={!onDown}
            title={t('form.moveDown')}
            aria-label={t('form.moveDown')}
            data-testid={`${testId}-down`}
          >
            ↓
          </button>
        </>
      ) : null}
      <button
        type="button"
        onClick={onRemove}
        disabled={removeDisabledReason !== undefined}
        title={removeDisabledReason ?? t('form.remove')}
        aria-label={t('form.remove')}
        data-testid={`${testId}-remove`}
      >
        ✕
      </button>
    </span>
  );
}
