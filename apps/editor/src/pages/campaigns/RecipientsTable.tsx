import { useEffect, useState } from 'react';
import { t } from '../../i18n';
import { listRecipients } from './campaigns-api';
import { skipReasonLabel } from './labels';
import { RECIPIENT_STATES } from './model';
import { codeValue, reasonValue, recipientFilterOptions, recipientFilterQuery } from './recipient-filter';
import type { CampaignResults, Recipient, RecipientStatus } from './types';

const PAGE = 25;

/**
 * The campaign's recipients, filtered by state and by skip reason or failure error code (the codes
 * `results` lists), a page at a time (the server's cursor paging).
 */
export function RecipientsTable({
  id,
  refreshKey,
  results,
}: {
  id: string;
  refreshKey: string;
  results: CampaignResults | null;
}) {
  const [status, setStatus] = useState<RecipientStatus | ''>('');
  /** '' (any), `reason:…` or `code:…` (./recipient-filter.ts). */
  const [because, setBecause] = useState('');
  // The cursors of the pages before this one (the first page's is null), so "Previous" can go back.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [items, setItems] = useState<Recipient[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1] ?? null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `refreshKey` changes as the campaign moves
  useEffect(() => {
    let alive = true;
    listRecipients(id, { status, ...recipientFilterQuery(because), cursor, limit: PAGE }).then(
      (r) => {
        if (!alive) return;
        setItems(r.items);
        setNext(r.nextCursor);
        setError(null);
      },
      (e: Error) => {
        if (alive) setError(e.message);
      },
    );
    return () => {
      alive = false;
    };
  }, [id, status, because, cursor, refreshKey]);

  const options = recipientFilterOptions(results);

  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString() : '');
  return (
    <section className="sb-section" data-testid="campaign-recipients">
      <h2>{t('campaigns.recipients')}</h2>
      <div className="sb-row">
        <label>
          {t('campaigns.recipients.status')}{' '}
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as RecipientStatus | '');
              setCursors([null]);
            }}
            data-testid="recipients-status"
          >
            <option value="">{t('campaigns.recipients.all')}</option>
            {RECIPIENT_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`campaigns.state.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('campaigns.recipients.because')}{' '}
          <select
            value={because}
            onChange={(e) => {
              setBecause(e.target.value);
              setCursors([null]);
            }}
            data-testid="recipients-because"
          >
            <option value="">{t('campaigns.recipients.anyReason')}</option>
            <optgroup label={t('campaigns.recipients.skipReasons')}>
              {options.reasons.map((r) => (
                <option key={r} value={reasonValue(r)}>
                  {skipReasonLabel(r)}
                </option>
              ))}
            </optgroup>
            {options.codes.length ? (
              <optgroup label={t('campaigns.recipients.errorCodes')}>
                {options.codes.map((c) => (
                  <option key={c} value={codeValue(c)}>
                    {t('campaigns.recipients.errorCode', { code: c })}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </label>
      </div>
      {error ? <p className="sb-error">{error}</p> : null}
      {items?.length === 0 ? <p className="sb-muted">{t('campaigns.recipients.none')}</p> : null}
      {items?.length ? (
        <table className="sb-table" data-testid="recipients-table">
          <thead>
            <tr>
              <th>{t('campaigns.recipients.contact')}</th>
              <th>{t('campaigns.recipients.state')}</th>
              <th>{t('campaigns.recipients.detail')}</th>
              <th>{t('campaigns.recipients.times')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.waId} data-testid="recipient" data-wa-id={r.waId} data-status={r.status}>
                <td>
                  {r.name ? `${r.name} · ` : ''}
                  <code>+{r.waId}</code>
                </td>
                <td>{t(`campaigns.state.${r.status}`)}</td>
                <td>
                  {r.reason ? skipReasonLabel(r.reason) : ''}
                  {r.errorCode !== null ? <code>{r.errorCode}</code> : null}
                </td>
                <td className="sb-muted">
                  {[
                    r.sentAt ? `${t('campaigns.state.sent')} ${when(r.sentAt)}` : '',
                    r.deliveredAt ? `${t('campaigns.state.delivered')} ${when(r.deliveredAt)}` : '',
                    r.readAt ? `${t('campaigns.state.read')} ${when(r.readAt)}` : '',
                    r.repliedAt ? `${t('campaigns.state.replied')} ${when(r.repliedAt)}` : '',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="sb-row">
        <button
          type="button"
          disabled={cursors.length <= 1}
          onClick={() => setCursors((c) => c.slice(0, -1))}
          data-testid="recipients-prev"
        >
          {t('campaigns.recipients.prev')}
        </button>
        <button
          type="button"
          disabled={!next}
          onClick={() => setCursors((c) => [...c, next])}
          data-testid="recipients-next"
        >
          {t('campaigns.recipients.next')}
        </button>
      </div>
    </section>
  );
}
