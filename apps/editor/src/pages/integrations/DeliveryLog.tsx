import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client';
import { t } from '../../i18n';
import { type Run, When } from '../people/parts';
import type { Delivery, Subscription } from './types';

/** How often the open log is read again: attempts happen in the background. */
const REFRESH_MS = 2_000;

/**
 * A subscription's deliveries, newest first, each with every attempt (time, HTTP status or error,
 * duration); the dead-letter view lists the dead ones, with a replay for one or for all.
 */
export function DeliveryLog({ sub, run }: { sub: Subscription; run: Run }) {
  const [view, setView] = useState<'all' | 'dead'>('all');
  const [items, setItems] = useState<Delivery[] | null>(null);
  const base = `/api/subscriptions/${encodeURIComponent(sub.id)}`;

  const load = useCallback(async () => {
    const query = view === 'dead' ? '?status=dead' : '';
    try {
      setItems((await api.get<{ items: Delivery[] }>(`${base}/deliveries${query}`)).items);
    } catch {
      // The page's notice reports refusals of actions; a missed refresh is tried again.
    }
  }, [base, view]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const replay = (d: Delivery) =>
    void run(async () => {
      await api.post(`${base}/deliveries/${encodeURIComponent(d.id)}/replay`);
      return { kind: 'info', text: t('int.replayed', { count: 1 }) };
    }).then(load);
  const replayAll = () =>
    void run(async () => {
      const { replayed } = await api.post<{ replayed: number }>(`${base}/replay-dead`);
      return { kind: 'info', text: t('int.replayed', { count: replayed }) };
    }).then(load);

  return (
    <div className="sb-int-log" data-testid={`sub-log-${sub.id}`}>
      <div className="sb-int-tabs" role="tablist">
        {(['all', 'dead'] as const).map((v) => (
          <button
            key={v}
            type="button"
            role="tab"
            aria-selected={view === v}
            className={view === v ? 'is-on' : ''}
            onClick={() => setView(v)}
            data-testid={`sub-log-view-${v}`}
          >
            {t(v === 'all' ? 'int.log' : 'int.deadLetter')}
          </button>
        ))}
        {view === 'dead' && items && items.length > 0 ? (
          <button type="button" onClick={replayAll} data-testid="sub-replay-all">
            {t('int.replayAll')}
          </button>
        ) : null}
      </div>
      {items === null ? (
        <p className="sb-muted">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="sb-muted" data-testid="sub-log-empty">
          {t(view === 'dead' ? 'int.noDead' : 'int.noDeliveries')}
        </p>
      ) : (
        <ul className="sb-int-deliveries">
          {items.map((d) => (
            <li key={d.id} data-testid="delivery" data-status={d.status} data-event={d.eventType}>
              <div className="sb-int-delivery-head">
                <span className={`sb-badge is-${d.status}`}>{t(`int.status.${d.status}`)}</span>
                <code>{d.eventType}</code>
                <span className="sb-muted">
                  <When iso={d.createdAt} /> · {t('int.attempts', { count: d.attempts })}
                </span>
                {d.status === 'dead' || d.status === 'delivered' ? (
                  <button
                    type="button"
                    className="sb-link"
                    onClick={() => replay(d)}
                    data-testid="delivery-replay"
                  >
                    {t('int.replay')}
                  </button>
                ) : null}
              </div>
              {d.log.length > 0 ? (
                <ol className="sb-int-attempts">
                  {d.log.map((a, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the log only grows at its end; attempts have no id
                    <li key={`${a.at}-${i}`} data-testid="attempt">
                      <When iso={a.at} /> ·{' '}
                      {a.httpStatus !== null ? <strong>HTTP {a.httpStatus}</strong> : null}
                      {a.error && a.httpStatus === null ? <span className="sb-error">{a.error}</span> : null}{' '}
                      · {a.durationMs} ms
                    </li>
                  ))}
                </ol>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
