import { t } from '../../i18n';
import { useForm } from '../form-context';
import { addLabel, fieldLabel, itemLabel } from '../labels';
import type { ListModel } from '../model/field-model';
import { duplicateIndexes, itemsLimit, totalItems } from '../model/limits';
import { newItem } from '../model/new-item';
import { moveItem, type Path, pathKey, removeItem } from '../model/paths';
import { FieldShell } from './FieldShell';
import { LimitCounter } from './LimitCounter';
import { ObjectFields } from './ObjectFields';
import { ItemButtons } from './TagsField';

/**
 * A list of objects (buttons, list sections and rows, switch cases, assignments) as cards that can be
 * added, removed and reordered. Counters show WhatsApp's limits (3 buttons, 10 rows over all sections);
 * repeated ids or titles are flagged on the item, since ids become the node's output ports.
 */
export function ListField({ model, path, value }: { model: ListModel; path: Path; value: unknown }) {
  const form = useForm();
  const key = pathKey(path);
  const items = Array.isArray(value) ? value : [];
  const full = model.maxItems !== undefined && items.length >= model.maxItems;
  const total = model.hint.total;
  const totalCount = total ? totalItems(items, total.of) : 0;
  const atMin = model.minItems !== undefined && items.length <= model.minItems;

  // Repeated values per item: index → field → message.
  const repeats = new Map<number, Map<string, string>>();
  for (const field of model.hint.unique ?? []) {
    for (const i of duplicateIndexes(items, field)) {
      const forItem = repeats.get(i) ?? new Map<string, string>();
      forItem.set(field, t(`unique.${field}`));
      repeats.set(i, forItem);
    }
  }

  const aside = (
    <span className="sbf-counters">
      {total ? (
        <LimitCounter
          limit={itemsLimit(Array.from({ length: totalCount }), total.max)}
          testId={`param-${key}-total`}
        />
      ) : null}
      {model.maxItems !== undefined ? (
        <LimitCounter limit={itemsLimit(items, model.maxItems)} testId={`param-${key}-count`} />
      ) : null}
    </span>
  );

  return (
    <FieldShell model={model} path={path} aside={aside}>
      {total && totalCount > total.max ? (
        <p className="sbf-warning">
          {t('limit.total', { max: total.max, what: fieldLabel(form.nodeType, itemOf(model, total.of)) })}
        </p>
      ) : null}
      <div className="sbf-cards">
        {items.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: items have no identity of their own
          <section className="sbf-card" key={i} data-testid={`param-${key}.${i}`}>
            <header className="sbf-card-head">
              <span className="sbf-card-title">{itemLabel(model.key, i)}</span>
              <ItemButtons
                testId={`param-${key}.${i}`}
                onUp={i > 0 ? () => form.set(path, moveItem(items, i, i - 1)) : undefined}
                onDown={i < items.length - 1 ? () => form.set(path, moveItem(items, i, i + 1)) : undefined}
                onRemove={() => form.set(path, removeItem(items, i))}
                removeDisabledReason={atMin ? t('form.atLeast', { n: model.minItems ?? 1 }) : undefined}
              />
            </header>
            <ObjectFields model={model.item} path={[...path, i]} value={item} extra={repeats.get(i)} />
          </section>
        ))}
      </div>
      <button
        type="button"
        className="sbf-add"
        disabled={full}
        title={full ? t('form.atMost', { n: model.maxItems ?? 0 }) : undefined}
        onClick={() => form.set(path, [...items, newItem(model.item, model.hint, model.key, form.params)])}
        data-testid={`param-${key}-add`}
      >
        + {addLabel(model.key)}
      </button>
    </FieldShell>
  );
}

/** The model of a nested list inside the items (for its label in messages). */
function itemOf(model: ListModel, key: string) {
  return model.item.fields.find((f) => f.key === key) ?? model;
}
