import {
  type KeyboardEvent,
  type RefObject,
  type SyntheticEvent,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { t } from '../../i18n';
import { useForm } from '../form-context';
import { filterVariables, insertVariable, openTemplateAt, type VariableOption } from '../model/variables';

type Field = HTMLInputElement | HTMLTextAreaElement;

export interface VariableInputProps {
  id?: string;
  value: string;
  onChange(text: string): void;
  testId: string;
  multiline?: boolean;
  rows?: number;
  placeholder?: string;
  invalid?: boolean;
  monospace?: boolean;
  inputMode?: 'text' | 'decimal' | 'numeric';
  /**
   * Values offered in a list under the input (e.g. button ids sent upstream); with a label, the list
   * shows it beside the value (a team's name beside the id that is stored).
   */
  suggestions?: readonly (string | { value: string; label?: string })[];
  /** Offer `{{ }}` completion (off for code, where the names are plain JavaScript). */
  variables?: boolean;
  ariaLabel?: string;
  onKeyDown?(e: KeyboardEvent<Field>): void;
  onBlur?(): void;
}

const MAX_SHOWN = 60;

/**
 * A text input or text area where typing `{{` opens the variables this node can read. The list filters
 * as you type, is driven by ↑ / ↓ / Enter (or Tab) / Escape, and inserts `{{ path }}`. A button next to it
 * opens the same list for people who do not know the braces.
 */
export function VariableInput(props: VariableInputProps) {
  const { value, onChange, multiline, variables = true } = props;
  const form = useForm();
  const ref = useRef<Field>(null);
  const listId = useId();
  const suggestId = useId();
  const [open, setOpen] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const pendingCaret = useRef<number | null>(null);

  const options = useMemo(
    () => (open ? filterVariables(form.variables, open.query).slice(0, MAX_SHOWN) : []),
    [open, form.variables],
  );
  const showing = open !== null && options.length > 0;

  // Put the caret after an inserted variable once React has written the new value.
  useLayoutEffect(() => {
    const caret = pendingCaret.current;
    if (caret === null || !ref.current) return;
    pendingCaret.current = null;
    ref.current.focus();
    ref.current.setSelectionRange(caret, caret);
  });

  useEffect(() => {
    if (!showing) return;
    document.getElementById(`${listId}-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, showing, listId]);

  const refresh = (text: string, caret: number | null) => {
    if (!variables) return;
    const next = caret === null ? null : openTemplateAt(text, caret);
    setOpen((prev) => (prev?.start === next?.start && prev?.query === next?.query ? prev : next));
    if (next?.query !== open?.query) setActive(0);
  };

  const choose = (option: VariableOption) => {
    const el = ref.current;
    if (!el || !open) return;
    const result = insertVariable(value, el.selectionStart ?? value.length, open.start, option.path);
    pendingCaret.current = result.caret;
    setOpen(null);
    onChange(result.text);
  };

  const onKeyDown = (e: KeyboardEvent<Field>) => {
    if (showing) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        setActive((i) => (i + step + options.length) % options.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        const option = options[active];
        if (option) choose(option);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setOpen(null);
        return;
      }
    }
    props.onKeyDown?.(e);
  };

  /** The `{x}` button: types `{{ ` at the caret, which opens the list. */
  const startVariable = () => {
    const el = ref.current;
    const caret = el?.selectionEnd ?? value.length;
    const text = `${value.slice(0, caret)}{{ ${value.slice(caret)}`;
    pendingCaret.current = caret + 3;
    onChange(text);
    setOpen({ start: caret, query: '' });
    setActive(0);
  };

  const common = {
    id: props.id,
    value,
    placeholder: props.placeholder,
    'data-testid': props.testId,
    'aria-label': props.ariaLabel,
    'aria-invalid': props.invalid || undefined,
    role: variables ? 'combobox' : undefined,
    'aria-expanded': variables ? showing : undefined,
    'aria-controls': showing ? listId : undefined,
    'aria-autocomplete': variables ? ('list' as const) : undefined,
    'aria-activedescendant': showing ? `${listId}-${active}` : undefined,
    className: props.monospace ? 'sbf-mono' : undefined,
    spellCheck: props.monospace ? false : undefined,
    onKeyDown,
    onChange: (e: SyntheticEvent<Field>) => {
      const el = e.currentTarget;
      onChange(el.value);
      refresh(el.value, el.selectionStart);
    },
    onKeyUp: (e: KeyboardEvent<Field>) => {
      if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) {
        refresh(e.currentTarget.value, e.currentTarget.selectionStart);
      }
    },
    onClick: (e: SyntheticEvent<Field>) => refresh(e.currentTarget.value, e.currentTarget.selectionStart),
    onBlur: () => {
      setOpen(null);
      props.onBlur?.();
    },
  };

  return (
    <div className={`sbf-var-wrap${multiline ? ' is-multiline' : ''}`}>
      <div className="sbf-var-row">
        {multiline ? (
          <textarea ref={ref as RefObject<HTMLTextAreaElement>} rows={props.rows ?? 4} {...common} />
        ) : (
          <input
            ref={ref as RefObject<HTMLInputElement>}
            inputMode={props.inputMode}
            list={props.suggestions?.length ? suggestId : undefined}
            autoComplete="off"
            {...common}
          />
        )}
        {variables ? (
          <button
            type="button"
            className="sbf-var-button"
            title={t('vars.insert')}
            aria-label={t('vars.insert')}
            onMouseDown={(e) => e.preventDefault()}
            onClick={startVariable}
            data-testid={`${props.testId}-vars`}
          >
            {'{x}'}
          </button>
        ) : null}
      </div>
      {props.suggestions?.length ? (
        <datalist id={suggestId}>
          {props.suggestions.map((s) =>
            typeof s === 'string' ? (
              <option key={s} value={s} />
            ) : (
              <option key={s.value} value={s.value} label={s.label} />
            ),
          )}
        </datalist>
      ) : null}
      {showing ? <VariableMenu id={listId} options={options} active={active} onChoose={choose} /> : null}
    </div>
  );
}

function VariableMenu({
  id,
  options,
  active,
  onChoose,
}: {
  id: string;
  options: readonly VariableOption[];
  active: number;
  onChoose(option: VariableOption): void;
}) {
  return (
    <div className="sbf-var-menu" id={id} role="listbox" data-testid="var-menu">
      {options.map((o, i) => (
        <div
          key={o.path}
          id={`${id}-${i}`}
          role="option"
          // Focus stays in the text field (aria-activedescendant points here); -1 keeps it out of Tab.
          tabIndex={-1}
          aria-selected={i === active}
          className={i === active ? 'is-active' : undefined}
          // mousedown, not click: the input must keep focus (and its caret) while choosing.
          onMouseDown={(e) => {
            e.preventDefault();
            onChoose(o);
          }}
          data-testid={`var-option-${o.path}`}
        >
          <code>{o.path}</code>
          <span className="sbf-var-hint">{describe(o)}</span>
        </div>
      ))}
    </div>
  );
}

function describe(option: VariableOption): string {
  if (option.hint) {
    const text = t(option.hint);
    if (text !== option.hint) return text;
  }
  const group = t(`vars.group.${option.group}`);
  return option.nodeId ? `${group} · ${option.nodeId}` : group;
}
