import { t } from '../../i18n';
import { useForm } from '../form-context';
import { fieldLabel, optionLabel } from '../labels';
import { isShown } from '../model/field-hints';
import {
  type FieldModel,
  type ObjectModel,
  switchVariant,
  type VariantModel,
  variantIndex,
} from '../model/field-model';
import { isRecord } from '../model/json-schema';
import { type Path, pathKey } from '../model/paths';
import { FieldShell } from './FieldShell';
import { FieldView } from './FieldView';

/**
 * The fields of an object, in schema order. A field that only matters in another mode (a delay's
 * `until` while it waits a duration) is hidden, unless it holds a value or a problem. At the top level,
 * rarely changed fields (recipient, channel) are tucked under "More options".
 */
export function ObjectFields({
  model,
  path,
  value,
  extra,
  topLevel,
}: {
  model: ObjectModel;
  path: Path;
  value: unknown;
  /** Problems the form found per field key (repeated ids). */
  extra?: ReadonlyMap<string, string>;
  topLevel?: boolean;
}) {
  const form = useForm();
  const object = isRecord(value) ? value : {};
  const defaults = Object.fromEntries(model.fields.map((f) => [f.key, f.default]));
  const shown: Array<{ field: FieldModel; required: boolean }> = [];
  const advanced: typeof shown = [];
  for (const field of model.fields) {
    const fieldPath = pathKey([...path, field.key]);
    const active = isShown(field.hint, object, defaults);
    const hasValue = object[field.key] !== undefined;
    if (!active && !hasValue && form.problemsUnder(fieldPath).length === 0) continue;
    const entry = { field, required: field.required || (active && field.hint.requiredWhenShown === true) };
    (topLevel && field.hint.advanced ? advanced : shown).push(entry);
  }
  const render = ({ field, required }: (typeof shown)[number]) => (
    <FieldView
      key={field.key}
      model={field}
      path={[...path, field.key]}
      value={object[field.key]}
      required={required}
      extraProblems={extra?.has(field.key) ? [extra.get(field.key)!] : undefined}
    />
  );
  const openAdvanced = advanced.some(
    ({ field }) =>
      object[field.key] !== undefined || form.problemsUnder(pathKey([...path, field.key])).length > 0,
  );
  return (
    <>
      {shown.map(render)}
      {advanced.length > 0 ? (
        <details className="sbf-more" open={openAdvanced || undefined} data-testid="params-more">
          <summary>{t('form.moreOptions')}</summary>
          {advanced.map(render)}
        </details>
      ) : null}
    </>
  );
}

/** A nested object (a delay's `before`, a fallback `template`): optional ones are added on demand. */
export function ObjectField({ model, path, value }: { model: ObjectModel; path: Path; value: unknown }) {
  const form = useForm();
  const key = pathKey(path);
  const label = fieldLabel(form.nodeType, model);
  if (value === undefined && !model.required) {
    return (
      <FieldShell model={model} path={path}>
        <button
          type="button"
          className="sbf-add"
          onClick={() => form.set(path, {})}
          data-testid={`param-${key}-add`}
        >
          + {t('form.addObject', { what: label.toLowerCase() })}
        </button>
      </FieldShell>
    );
  }
  return (
    <FieldShell
      model={model}
      path={path}
      aside={
        model.required ? null : (
          <button
            type="button"
            className="sbf-link"
            onClick={() => form.set(path, undefined)}
            data-testid={`param-${key}-remove`}
          >
            {t('form.remove')}
          </button>
        )
      }
    >
      <div className="sbf-group">
        <ObjectFields model={model} path={path} value={value} />
      </div>
    </FieldShell>
  );
}

/** A union: a switch between its variants, then the chosen variant's field(s). */
export function VariantField({
  model,
  path,
  value,
  required,
}: {
  model: VariantModel;
  path: Path;
  value: unknown;
  required?: boolean;
}) {
  const form = useForm();
  const key = pathKey(path);
  const index = variantIndex(model, value);
  const variant = model.variants[index]!;
  return (
    <FieldShell model={model} path={path} required={required}>
      <div className="sbf-segmented" role="radiogroup" data-testid={`param-${key}-variant`}>
        {model.variants.map((v, i) => (
          // biome-ignore lint/a11y/useSemanticElements: a segmented control; radio inputs cannot be styled as one
          <button
            key={v.label}
            type="button"
            role="radio"
            aria-checked={i === index}
            className={i === index ? 'is-on' : undefined}
            onClick={() => i !== index && form.set(path, switchVariant(model, value, i))}
            data-testid={`param-${key}-variant-${i}`}
          >
            {variantLabel(model.key, v.label)}
          </button>
        ))}
      </div>
      {variant.model.kind === 'object' ? (
        <div className="sbf-group">
          <ObjectFields model={variant.model} path={path} value={value} />
        </div>
      ) : (
        <FieldView model={variant.model} path={path} value={value} bare />
      )}
    </FieldShell>
  );
}

function variantLabel(key: string, label: string): string {
  const text = t(`variant.${label}`);
  return text === `variant.${label}` ? optionLabel(key, label) : text;
}
