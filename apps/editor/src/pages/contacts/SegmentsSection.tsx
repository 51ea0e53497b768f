import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client';
import { t } from '../../i18n';
import type { Notice } from '../../store/editor';
import { downloadCsv } from './download';
import { FilterBuilder } from './FilterBuilder';
import { EMPTY_FORM, type FilterForm, toFilter } from './filter';

interface Segment {
  id: string;
  name: string;
  description: string;
  filter: Record<string, unknown>;
}
type Run = (action: () => Promise<Notice | null>) => Promise<boolean>;

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
        <FilterBuilder
          form={form}
          onChange={(next) => {
            setForm(next);
            setPreviewCount(null);
          }}
        />
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
