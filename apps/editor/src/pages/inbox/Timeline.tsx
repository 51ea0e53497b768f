import { useEffect, useRef } from 'react';
import { t, useLang } from '../../i18n';
import { formatClockTime } from '../../panels/executions/format';
import { ticksOf } from './model';
import type { TimelineItem } from './types';

/** A routing event in words: "Assigned", "Transferred"…; an unknown kind as it is. */
function eventText(item: Extract<TimelineItem, { kind: 'event' }>): string {
  const key = `inbox.event.${item.event}`;
  const words = t(key);
  return words === key ? item.event : words;
}

/**
 * The whole history: the customer's messages on the left, the business's on the right with their
 * ticks (a flow's marked "Flow"), internal notes in their own colour, routing events as lines.
 */
export function Timeline({
  items,
  loadEarlier,
}: {
  items: TimelineItem[];
  loadEarlier: (() => Promise<void>) | null;
}) {
  const lang = useLang();
  const end = useRef<HTMLDivElement>(null);
  const lastId = items[items.length - 1]?.id;
  // Keep the newest message in view when one arrives (not on every refetch: someone reading older
  // messages stays where they are while ticks change).
  useEffect(() => {
    if (lastId) end.current?.scrollIntoView?.({ block: 'end' });
  }, [lastId]);
  const earlier = loadEarlier ? (
    <button
      type="button"
      className="sb-link sb-inbox-earlier"
      onClick={() => void loadEarlier()}
      data-testid="inbox-earlier"
    >
      {t('inbox.earlier')}
    </button>
  ) : null;
  if (items.length === 0) return <p className="sb-inbox-nothing sb-muted">{t('inbox.noHistory')}</p>;
  return (
    <div className="sb-inbox-timeline" data-testid="inbox-timeline">
      {earlier}
      {items.map((item) => {
        const time = <time dateTime={item.at}>{formatClockTime(item.at, lang)}</time>;
        if (item.kind === 'event')
          return (
            <div key={item.id} className="sb-inbox-event" data-testid="inbox-event" data-event={item.event}>
              {eventText(item)} · {time}
            </div>
          );
        if (item.kind === 'note')
          return (
            <div key={item.id} className="sb-inbox-row is-note">
              <div className="sb-inbox-bubble is-note" data-testid="inbox-note">
                <div className="sb-inbox-label">
                  🔒 {t('inbox.note')}
                  {item.author ? ` · ${item.author}` : ''}
                </div>
                <div className="sb-inbox-text">{item.text}</div>
                <div className="sb-inbox-meta">{time}</div>
              </div>
            </div>
          );
        if (item.kind === 'inbound')
          return (
            <div key={item.id} className="sb-inbox-row is-in">
              <div className="sb-inbox-bubble is-in" data-testid="inbox-msg-in">
                <div className="sb-inbox-text">{item.text || t('inbox.media', { type: item.type })}</div>
                <div className="sb-inbox-meta">{time}</div>
              </div>
            </div>
          );
        const tick = ticksOf(item);
        return (
          <div key={item.id} className="sb-inbox-row is-out">
            <div
              className={`sb-inbox-bubble is-out${tick?.tone === 'failed' ? ' is-failed' : ''}`}
              data-testid="inbox-msg-out"
              data-status={item.status}
              data-source={item.source}
            >
              {item.source === 'flow' ? (
                <div className="sb-inbox-label" data-testid="inbox-flow-label">
                  ⚙ {t('inbox.fromFlow')}
                </div>
              ) : item.author ? (
                <div className="sb-inbox-label">{item.author}</div>
              ) : null}
              <div className="sb-inbox-text">{item.text || t('inbox.media', { type: item.type })}</div>
              <div className="sb-inbox-meta">
                {time}
                {tick ? (
                  <span
                    className={`sb-inbox-tick tone-${tick.tone}`}
                    title={t(tick.labelKey)}
                    data-testid="inbox-tick"
                    data-tone={tick.tone}
                  >
                    {tick.glyph}
                  </span>
                ) : null}
              </div>
              {item.error && tick?.tone === 'failed' ? (
                <div className="sb-inbox-failure" data-testid="inbox-msg-error">
                  <strong>{item.error.code}</strong> {item.error.title}
                </div>
              ) : null}
            </div>
          </div>
        );
      })}
      <div ref={end} />
    </div>
  );
}
