import { useState } from 'react';
import { api } from '../../api/client';
import { t } from '../../i18n';
import { type Run, Section, ShownOnce, useList } from '../people/parts';
import { DeliveryLog } from './DeliveryLog';
import { SubscriptionForm } from './SubscriptionForm';
import type { Subscription } from './types';

/**
 * Outgoing event subscriptions: other systems' URLs and the events each gets, signed with a secret shown
 * once (at creation or rotation); a test ping, enable/disable, delete, and each one's delivery log.
 */
export function SubscriptionsSection({ run }: { run: Run }) {
  const { list, reload } = useList<Subscription>('/api/subscriptions', run);
  const [open, setOpen] = useState<string | null>(null);
  const [rotated, setRotated] = useState<{ id: string; secret: string } | null>(null);
  const path = (s: Subscription) => `/api/subscriptions/${encodeURIComponent(s.id)}`;

  const ping = (s: Subscription) =>
    void run(async () => {
      await api.post(`${path(s)}/test`);
      setOpen(s.id);
      return { kind: 'info', text: t('int.pinged') };
    });
  const rotate = (s: Subscription) => {
    if (!window.confirm(t('int.confirmRotate'))) return;
    void run(async () => {
      const { secret } = await api.post<{ secret: string }>(`${path(s)}/rotate-secret`);
      setRotated({ id: s.id, secret });
      return null;
    });
  };
  const setActive = (s: Subscription, active: boolean) =>
    void run(async () => {
      await api.patch(path(s), { active });
      return null;
    }).then(reload);
  const remove = (s: Subscription) => {
    if (!window.confirm(t('int.confirmDelete', { url: s.url }))) return;
    void run(async () => {
      await api.delete(path(s));
      return { kind: 'info', text: t('int.deleted') };
    }).then(reload);
  };

  return (
    <Section title={t('int.subscriptions')} help={t('int.subscriptionsHelp')}>
      <SubscriptionForm run={run} onCreated={reload} />
      {list && list.length === 0 ? <p className="sb-muted">{t('int.noSubscriptions')}</p> : null}
      {list?.map((s) => (
        <article key={s.id} className="sb-int-sub" data-testid={`sub-${s.id}`} data-url={s.url}>
          <div className="sb-int-sub-head">
            <div>
              <strong className="sb-int-url">{s.url}</strong>
              {s.description ? <div className="sb-muted">{s.description}</div> : null}
              <div className="sb-muted">
                {s.eventTypes.map((e) => (
                  <code key={e} className="sb-int-chip">
                    {e}
                  </code>
                ))}
              </div>
            </div>
            <span className={`sb-badge ${s.active ? 'is-delivered' : ''}`} data-testid="sub-state">
              {t(s.active ? 'int.enabled' : 'int.disabled')}
            </span>
          </div>
          <div className="sb-row-actions">
            <button type="button" onClick={() => setActive(s, !s.active)} data-testid="sub-toggle">
              {t(s.active ? 'int.disable' : 'int.enable')}
            </button>
            <button type="button" onClick={() => ping(s)} data-testid="sub-test">
              {t('int.test')}
            </button>
            <button
              type="button"
              onClick={() => setOpen(open === s.id ? null : s.id)}
              data-testid="sub-open-log"
            >
              {t(open === s.id ? 'int.hideLog' : 'int.showLog')}
            </button>
            <button type="button" onClick={() => rotate(s)} data-testid="sub-rotate">
              {t('int.rotate')}
            </button>
            <button type="button" onClick={() => remove(s)} data-testid="sub-delete">
              {t('int.delete')}
            </button>
          </div>
          {rotated?.id === s.id ? (
            <ShownOnce
              value={rotated.secret}
              warning={t('int.secretShownOnce')}
              testId="sub-rotated-secret"
              onDone={() => setRotated(null)}
            />
          ) : null}
          {open === s.id ? <DeliveryLog sub={s} run={run} /> : null}
        </article>
      ))}
    </Section>
  );
}
