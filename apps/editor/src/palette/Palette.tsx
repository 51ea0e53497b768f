import type { NodeCatalogEntry, NodeCategory } from '@switchboard/flow-schema';
import { type DragEvent, useMemo, useState } from 'react';
import { PALETTE_MIME } from '../canvas/dnd';
import { t, useLang } from '../i18n';

const ORDER: NodeCategory[] = ['trigger', 'condition', 'messaging', 'routing', 'crm', 'flow', 'data'];

/** Node types grouped by category, with search over both languages' titles and descriptions. */
export function Palette({
  entries,
  onAdd,
}: {
  entries: readonly NodeCatalogEntry[];
  onAdd: (type: string) => void;
}) {
  const lang = useLang();
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const match = (e: NodeCatalogEntry) =>
      !q ||
      e.type.toLowerCase().includes(q) ||
      [e.labels.en, e.labels.es].some(
        (l) => l.title.toLowerCase().includes(q) || l.description.toLowerCase().includes(q),
      );
    return ORDER.map((category) => ({
      category,
      items: entries
        .filter((e) => e.category === category && match(e))
        .sort((a, b) => a.labels[lang].title.localeCompare(b.labels[lang].title, lang)),
    })).filter((g) => g.items.length > 0);
  }, [entries, query, lang]);

  const onDragStart = (e: DragEvent, type: string) => {
    e.dataTransfer.setData(PALETTE_MIME, type);
    e.dataTransfer.effectAllowed = 'move';
  };

  return (
    <aside className="sb-palette" data-testid="palette">
      <input
        className="sb-search"
        type="search"
        placeholder={t('palette.search')}
        aria-label={t('palette.search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {groups.length === 0 ? <p className="sb-muted">{t('palette.none')}</p> : null}
      {groups.map((g) => (
        <section key={g.category} className="sb-palette-group">
          <h3>{t(`category.${g.category}`)}</h3>
          {g.items.map((e) => (
            <button
              type="button"
              key={e.type}
              className={`sb-palette-item cat-${e.category}`}
              draggable
              onDragStart={(ev) => onDragStart(ev, e.type)}
              onClick={() => onAdd(e.type)}
              title={e.labels[lang].description}
              data-testid={`palette-${e.type}`}
            >
              <span className="sb-node-cat" aria-hidden="true" />
              {e.labels[lang].title}
            </button>
          ))}
        </section>
      ))}
    </aside>
  );
}
