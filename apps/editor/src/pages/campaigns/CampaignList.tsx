import { useEffect, useRef, useState } from 'react';
import { t } from '../../i18n';
import { navigate } from '../../router';
import { listCampaigns } from './campaigns-api';
import { CAMPAIGN_STATUSES, isLive, percentOf, sentOrBeyond } from './model';
import { ProgressBar, StatusBadge } from './ProgressBar';
import type { Campaign, CampaignStatus } from './types';

const PAGE = 50;

/**
 * The campaigns, newest first, a page at a time ("Load more"), optionally of one status. While one of
 * them is live the list reads again every few seconds, as many as it shows.
 */
export function CampaignList() {
  const [status, setStatus] = useState<CampaignStatus | ''>('');
  const [items, setItems] = useState<Campaign[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const anyLive = useRef(false);
  // How many the list shows: a refresh reads that many again (up to the server's 500), so the pages
  // "Load more" added stay on screen.
  const shown = useRef(PAGE);
  // Bumped when the filter changes: an answer for the previous filter is dropped.
  const generation = useRef(0);

  useEffect(() => {
    anyLive.current = items?.some((c) => isLive(c.status)) ?? false;
    shown.current = Math.max(PAGE, items?.length ?? 0);
  }, [items]);

  useEffect(() => {
    const mine = ++generation.current;
    shown.current = PAGE;
    setItems(null);
    setNext(null);
    const load = () =>
      listCampaigns({ status, limit: Math.min(shown.current, 500) }).then(
        (r) => {
          if (generation.current !== mine) return;
          setItems(r.items);
          setNext(r.nextCursor);
          setError(null);
        },
        (e: Error) => {
          if (generation.current === mine) setError(e.message);
        },
      );
    void load();
    const timer = setInterval(() => {
      if (anyLive.current) void load();
    }, 3000);
    return () => {
      generation.current++;
      clearInterval(timer);
    };
  }, [status]);

  const loadMore = () => {
    if (!next) return;
    const mine = generation.current;
    setLoadingMore(true);
    listCampaigns({ status, cursor: next, limit: PAGE })
      .then(
        (r) => {
          if (generation.current !== mine) return;
          // A campaign already shown (the list moved meanwhile) is kept once.
          setItems((old) => {
            const seen = new Set((old ?? []).map((c) => c.id));
            return [...(old ?? []), ...r.items.filter((c) => !seen.has(c.id))];
          });
          setNext(r.nextCursor);
        },
        (e: Error) => {
          if (generation.current === mine) setError(e.message);
        },
      )
      .finally(() => setLoadingMore(false));
  };

  return (
    <div className="sb-page sb-people sb-integrations" data-testid="campaigns-page">
      <header className="sb-page-head">
        <h1>{t('campaigns.title')}</h1>
        <button
          type="button"
          className="sb-primary"
          onClick={() => navigate('/campaigns/new')}
          data-testid="campaign-new"
        >
          {t('campaigns.new')}
        </button>
      </header>
      <p className="sb-help">{t('campaigns.help')}</p>
      <div className="sb-row">
        <label>
          {t('campaigns.filter.status')}{' '}
          <select
            value={status}
            onChange={(e) => setStatus(e.target.value as CampaignStatus | '')}
            data-testid="campaigns-status"
          >
            <option value="">{t('campaigns.filter.all')}</option>
            {CAMPAIGN_STATUSES.map((st) => (
              <option key={st} value={st}>
                {t(`campaigns.status.${st}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? (
        <p className="sb-error" role="alert">
          {error}
        </p>
      ) : null}
      {items === null && !error ? <p className="sb-muted">{t('common.loading')}</p> : null}
      {items?.length === 0 ? (
        <p className="sb-muted">{t(status ? 'campaigns.noneOfStatus' : 'campaigns.none')}</p>
      ) : null}
      {items?.length ? (
        <table className="sb-table" data-testid="campaigns-list">
          <thead>
            <tr>
              <th>{t('campaigns.col.name')}</th>
              <th>{t('campaigns.col.status')}</th>
              <th>{t('campaigns.col.progress')}</th>
              <th>{t('campaigns.col.counts')}</th>
              <th>{t('campaigns.col.created')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} data-testid="campaign-row" data-name={c.name} data-id={c.id}>
                <td>
                  <a
                    href={`/campaigns/${encodeURIComponent(c.id)}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/campaigns/${encodeURIComponent(c.id)}`);
                    }}
                    data-testid="campaign-open"
                  >
                    {c.name}
                  </a>
                  <div className="sb-muted">
                    {c.template.name} · {c.channelId}
                  </div>
                </td>
                <td>
                  <StatusBadge status={c.status} />
                </td>
                <td>
                  <ProgressBar compact percent={percentOf(c)} label={c.name} />
                </td>
                <td className="sb-muted">
                  {t('campaigns.rowCounts', {
                    total: c.progress.total,
                    sent: sentOrBeyond(c.counts),
                    failed: c.counts.failed,
                    skipped: c.counts.skipped,
                  })}
                </td>
                <td className="sb-muted">{new Date(c.createdAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {next ? (
        <div className="sb-row">
          <button type="button" disabled={loadingMore} onClick={loadMore} data-testid="campaigns-more">
            {loadingMore ? t('common.loading') : t('campaigns.loadMore')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
