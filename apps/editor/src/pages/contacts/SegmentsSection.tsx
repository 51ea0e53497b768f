import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client';
import { t } from '../../i18n';
import type { Notice } from '../../store/editor';
import { downloadCsv } from './download';
import { type AttributeRow, EMPTY_FORM, type FilterForm, toFilter } from './filter';

interface Segment {
  id: string;
  name: string;
  description: string;
  filter: Record<string, unknown>;
}
type Run = (action: () => Promise<Notice | null>) => Promise<boolean>;

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

/** Saved segments with their counts, and a filter builder with a live preview count. */
export function SegmentsSection({ run, refresh }: { run: Run; refresh: number }) {
  const [segments, setSegments] = useState<Segment[]>([]);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [name, setName] = useState('');
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const [previewCount, setPreviewCount] = useState<number | null>(null);

  const load = useCallback(async () => {
    const { items } = await api.get<{ items: Segment[] }>('/api/segments');
    setSegments(items);
    const entries = await Promise.all(
      items.map(
        async (s) =>
          [s.id, (await api.get<{ count: number }>(`/api/segments/${s.id}/preview?limit=0`)).count] as const,
      ),
    );
    setCounts(Object.fromEntries(entries));
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` changes after an import
  useEffect(() => {
    void run(async () => {
      await load();
      return null;
    });
  }, [load, run, refresh]);

  const set = <K extends keyof FilterForm>(key: K, value: FilterForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setPreviewCount(null);
  };
  const setAttr = (i: number, patch: Partial<AttributeRow>) =>
    set(
      'attributes',
      form.attributes.map((a, j) => (j === i ? { ...a, ...patch } : a)),
    );
  const text = (key: 'tagsAll' | 'tagsAny' | 'tagsNone' | 'countryIn' | 'countryNotIn', label: string) => (
    <label className="sb-field">
      <span>{t(label)}</span>
      <input
        value={form[key]}
        placeholder={t('contacts.listHint')}
        onChange={(e) => set(key, e.target.value)}
        data-testid={`seg-${key}`}
      />
    </label>
  );

  return (
    <section className="sb-section" data-testid="contacts-segments">
      <h2>{t('contacts.segments')}</h2>
      <p className="sb-help">{t('contacts.segmentsHelp')}</p>
      {segments.length === 0 ? <p className="sb-muted">{t('contacts.noSegments')}</p> : null}
      <ul className="sb-list">
        {segments.map((s) => (
          <li key={s.id} data-testid="segment" data-name={s.name}>
            <strong>{s.name}</strong>{' '}
            <span data-testid="segment-count">
              {counts[s.id] === undefined ? '…' : t('contacts.count', { n: counts[s.id]! })}
            </span>{' '}
            <code className="sb-muted">{JSON.stringify(s.filter)}</code>{' '}
            <button
              type="button"
              className="sb-link"
              data-testid="segment-export"
              onClick={() =>
                run(async () => {
                  await downloadCsv(
                    `/api/contacts/export.csv?segment=${encodeURIComponent(s.id)}`,
                    `${s.name}.csv`,
                  );
                  return null;
                })
              }
            >
              {t('contacts.exportSegment')}
            </button>{' '}
            <button
              type="button"
              className="sb-link"
              data-testid="segment-delete"
              onClick={() =>
                run(async () => {
                  await api.delete(`/api/segments/${s.id}`);
                  await load();
                  return { kind: 'info', text: t('contacts.deleted') };
                })
              }
            >
              {t('contacts.delete')}
            </button>
          </li>
        ))}
      </ul>
      <div className="sb-form" data-testid="segment-builder">
        <label className="sb-field">
          <span>{t('contacts.segmentName')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} data-testid="seg-name" />
        </label>
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
            data-testid="seg-optedIn"
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
            data-testid="seg-withinDays"
          />
        </label>
        <label className="sb-field">
          <span>{t('contacts.olderThanDays')}</span>
          <input
            type="number"
            min={0}
            value={form.olderThanDays}
            onChange={(e) => set('olderThanDays', e.target.value)}
            data-testid="seg-olderThanDays"
          />
        </label>
        <fieldset className="sb-fieldset">
          <legend>{t('contacts.attributes')}</legend>
          {form.attributes.map((a, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
            <div className="sb-row" key={i} data-testid="seg-attr">
              <input
                aria-label={t('contacts.attrKey')}
                value={a.key}
                onChange={(e) => setAttr(i, { key: e.target.value })}
                data-testid="seg-attr-key"
              />
              <select
                aria-label="op"
                value={a.op}
                onChange={(e) => setAttr(i, { op: e.target.value as AttributeRow['op'] })}
                data-testid="seg-attr-op"
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
                  data-testid="seg-attr-value"
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
            data-testid="seg-add-attr"
          >
            {t('contacts.addCondition')}
          </button>
        </fieldset>
        <div className="sb-row">
          <button
            type="button"
            onClick={() =>
              run(async () => {
                const r = await api.post<{ count: number }>('/api/segments/preview', {
                  filter: toFilter(form),
                  limit: 0,
                });
                setPreviewCount(r.count);
                return null;
              })
            }
            data-testid="seg-preview"
          >
            {t('contacts.preview')}
          </button>
          {previewCount !== null ? (
            <span data-testid="seg-preview-count">{t('contacts.count', { n: previewCount })}</span>
          ) : null}
          <button
            type="button"
            className="sb-primary"
            disabled={!name.trim()}
            onClick={() =>
              run(async () => {
                await api.post('/api/segments', { name: name.trim(), filter: toFilter(form) });
                await load();
                const saved = name.trim();
                setName('');
                setForm(EMPTY_FORM);
                setPreviewCount(null);
                return { kind: 'info', text: t('contacts.saved', { name: saved }) };
              })
            }
            data-testid="seg-save"
          >
            {t('contacts.save')}
          </button>
        </div>
      </div>
    </section>
  );
}
