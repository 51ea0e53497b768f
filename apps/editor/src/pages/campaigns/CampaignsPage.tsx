import { useEffect, useRef, useState } from 'react';
import { t } from '../../i18n';
import { navigate } from '../../router';
import { CampaignDetail } from './CampaignDetail';
import { CampaignFormPage } from './CampaignFormPage';
import { listCampaigns } from './campaigns-api';
import { isLive, percentOf, sentOrBeyond } from './model';
import { ProgressBar, StatusBadge } from './ProgressBar';
import type { Campaign } from './types';
import '../../auth/auth.css';
import '../integrations/integrations.css';
import './campaigns.css';

/**
 * `/campaigns` lists the broadcast campaigns; `/campaigns/new` and `/campaigns/:id/edit` are the form,
 * `/campaigns/:id` a campaign's progress and results (docs/editor.md#campaigns).
 */
export function CampaignsPage({ path }: { path: string }) {
  const edit = /^\/campaigns\/([^/]+)\/edit$/.exec(path);
  const one = /^\/campaigns\/([^/]+)$/.exec(path);
  if (path === '/campaigns/new') return <CampaignFormPage id={null} />;
  if (edit?.[1]) return <CampaignFormPage id={decodeURIComponent(edit[1])} />;
  if (one?.[1]) return <CampaignDetail id={decodeURIComponent(one[1])} />;
  return <CampaignList />;
}

function CampaignList() {
  const [items, setItems] = useState<Campaign[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const anyLive = useRef(false);
  useEffect(() => {
    let alive = true;
    const load = () =>
      listCampaigns().then(
        (r) => {
          if (!alive) return;
          setItems(r.items);
          anyLive.current = r.items.some((c) => isLive(c.status));
        },
        (e: Error) => {
          if (alive) setError(e.message);
        },
      );
    void load();
    // Running campaigns move: the list reads them again every few seconds while one is live.
    const timer = setInterval(() => {
      if (anyLive.current) void load();
    }, 3000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, []);

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
      {error ? (
        <p className="sb-error" role="alert">
          {error}
        </p>
      ) : null}
      {items === null && !error ? <p className="sb-muted">{t('common.loading')}</p> : null}
      {items?.length === 0 ? <p className="sb-muted">{t('campaigns.none')}</p> : null}
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
    </div>
  );
}
