import { t } from '../../i18n';
import type { AttributeRow, FilterForm } from './filter';

const OPS: AttributeRow['op'][] = ['equals', 'not_equals', 'exists', 'not_exists', 'gt', 'gte', 'lt', 'lte'];
const OP_LABEL: Record<AttributeRow['op'], string> = {
  equals: '=',
  not_equals: '≠',
  exists: '∃',
  not_exists: '∄',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
};

export interface FilterBuilderProps {
  form: FilterForm;
  onChange(next: FilterForm): void;
  /** Prefix of the fields' test ids (`seg-tagsAll`…); a page with two builders tells them apart. */
  idPrefix?: string;
}

/**
 * The segment filter's fields (tags, country, opt-in, last message, attribute conditions). The segments
 * section and the campaign form's inline audience both use it; `toFilter` turns the form into the filter.
 */
export function FilterBuilder({ form, onChange, idPrefix = 'seg' }: FilterBuilderProps) {
  const set = <K extends keyof FilterForm>(key: K, value: FilterForm[K]) =>
    onChange({ ...form, [key]: value });
  const setAttr = (i: number, patch: Partial<AttributeRow>) =>
    set(
      'attributes',
      form.attributes.map((a, j) => (j === i ? { ...a, ...patch } : a)),
    );
  const id = (name: string) => `${idPrefix}-${name}`;
  const text = (key: 'tagsAll' | 'tagsAny' | 'tagsNone' | 'countryIn' | 'countryNotIn', label: string) => (
    <label className="sb-field">
      <span>{t(label)}</span>
      <input
        value={form[key]}
        placeholder={t('contacts.listHint')}
        onChange={(e) => set(key, e.target.value)}
        data-testid={id(key)}
      />
    </label>
  );
  return (
    <>
      {text('tagsAll', 'contacts.tagsAll')}
      {text('tagsAny', 'contacts.tagsAny')}
      {text('tagsNone', 'contacts.tagsNone')}
      {text('countryIn', 'contacts.countryIn')}
      {text('countryNotIn', 'contacts.countryNotIn')}
      <label className="sb-field">
        <span>{t('contacts.optedIn')}</span>
        <select
          value={form.optedIn}
          onChange={(e) => set('optedIn', e.target.value as FilterForm['optedIn'])}
          data-testid={id('optedIn')}
        >
          <option value="">{t('contacts.optedIn.any')}</option>
          <option value="marketing">marketing</option>
          <option value="utility">utility</option>
          <option value="all">all</option>
        </select>
      </label>
      <label className="sb-field">
        <span>{t('contacts.withinDays')}</span>
        <input
          type="number"
          min={0}
          value={form.withinDays}
          onChange={(e) => set('withinDays', e.target.value)}
          data-testid={id('withinDays')}
        />
      </label>
      <label className="sb-field">
        <span>{t('contacts.olderThanDays')}</span>
        <input
          type="number"
          min={0}
          value={form.olderThanDays}
          onChange={(e) => set('olderThanDays', e.target.value)}
          data-testid={id('olderThanDays')}
        />
      </label>
      <fieldset className="sb-fieldset">
        <legend>{t('contacts.attributes')}</legend>
        {form.attributes.map((a, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
          <div className="sb-row" key={i} data-testid={id('attr')}>
            <input
              aria-label={t('contacts.attrKey')}
              value={a.key}
              onChange={(e) => setAttr(i, { key: e.target.value })}
              data-testid={id('attr-key')}
            />
            <select
              aria-label="op"
              value={a.op}
              onChange={(e) => setAttr(i, { op: e.target.value as AttributeRow['op'] })}
              data-testid={id('attr-op')}
            >
              {OPS.map((op) => (
                <option key={op} value={op}>
                  {OP_LABEL[op]} {op}
                </option>
              ))}
            </select>
            {a.op === 'exists' || a.op === 'not_exists' ? null : (
              <input
                aria-label={t('contacts.attrValue')}
                value={a.value}
                onChange={(e) => setAttr(i, { value: e.target.value })}
                data-testid={id('attr-value')}
              />
            )}
            <button
              type="button"
              className="sb-link"
              onClick={() =>
                set(
                  'attributes',
                  form.attributes.filter((_, j) => j !== i),
                )
              }
            >
              {t('contacts.removeCondition')}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="sb-link"
          onClick={() => set('attributes', [...form.attributes, { key: '', op: 'equals', value: '' }])}
          data-testid={id('add-attr')}
        >
          {t('contacts.addCondition')}
        </button>
      </fieldset>
    </>
  );
}
