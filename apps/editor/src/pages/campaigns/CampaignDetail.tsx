import { useCallback, useEffect, useState } from 'react';
import { t } from '../../i18n';
import { navigate } from '../../router';
import {
  type CampaignAction,
  campaignAction,
  deleteCampaign,
  getCampaign,
  getResults,
} from './campaigns-api';
import { waitingLabel } from './labels';
import { actionsFor, keepsReading, percentOf } from './model';
import { ProgressBar, StatusBadge } from './ProgressBar';
import { RecipientsTable } from './RecipientsTable';
import { ResultsSection } from './ResultsSection';
import type { Campaign, CampaignResults } from './types';
import './campaigns.css';
import '../../auth/auth.css';
import '../integrations/integrations.css';

/** How often a running or scheduled campaign is read again. */
const POLL_MS = 1000;

/** One campaign: status, why it waits, its progress (live), the controls and its results. */
export function CampaignDetail({ id }: { id: string }) {
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [results, setResults] = useState<CampaignResults | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<'cancel' | 'delete' | null>(null);
  const [busy, setBusy] = useState(false);
  // Bumped after an action, so a campaign that was still (a draft) is read every second again.
  const [round, setRound] = useState(0);

  const load = useCallback(async () => {
    const [c, r] = await Promise.all([getCampaign(id), getResults(id)]);
    setCampaign(c);
    setResults(r);
    return c;
  }, [id]);

  // Read once, then every second while the campaign may still move; the timer stops once it is over
  // and nothing it queued is still waiting to be sent.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` restarts the reading after an action
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const c = await load();
        if (!alive) return;
        setError(null);
        if (keepsReading(c)) timer = setTimeout(() => void tick(), POLL_MS);
      } catch (e) {
        if (!alive) return;
        setError(e instanceof Error ? e.message : String(e));
        timer = setTimeout(() => void tick(), POLL_MS * 3);
      }
    };
    void tick();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [load, round]);

  const act = async (action: CampaignAction | 'delete') => {
    setBusy(true);
    setError(null);
    setConfirming(null);
    try {
      if (action === 'delete') {
        await deleteCampaign(id);
        navigate('/campaigns');
        return;
      }
      setCampaign(await campaignAction(id, action));
      setRound((n) => n + 1);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (!campaign)
    return (
      <div className="sb-page" data-testid="campaign-page">
        {error ? (
          <p className="sb-error" role="alert">
            {error}
          </p>
        ) : (
          <p className="sb-muted">{t('common.loading')}</p>
        )}
      </div>
    );

  const can = actionsFor(campaign.status);
  const percent = percentOf(campaign);
  const limit = campaign.messagingLimit;
  return (
    <div
      className="sb-page sb-people sb-integrations"
      data-testid="campaign-page"
      data-status={campaign.status}
    >
      <header className="sb-page-head">
        <button type="button" className="sb-link" onClick={() => navigate('/campaigns')}>
          {t('campaigns.back')}
        </button>
        <h1 data-testid="campaign-title">{campaign.name}</h1>
        <StatusBadge status={campaign.status} />
      </header>
      {error ? (
        <p className="sb-error" role="alert" data-testid="campaign-error">
          {error}
        </p>
      ) : null}
      <p className="sb-muted">
        {t('campaigns.summary', {
          template: `${campaign.template.name} (${campaign.template.language})`,
          channel: campaign.channelId,
        })}
        {campaign.startedAt
          ? ` · ${t('campaigns.startedAt', { at: new Date(campaign.startedAt).toLocaleString() })}`
          : ''}
        {campaign.finishedAt
          ? ` · ${t('campaigns.finishedAt', { at: new Date(campaign.finishedAt).toLocaleString() })}`
          : ''}
      </p>
      {campaign.waiting ? (
        <p className="sb-camp-waiting" data-testid="campaign-waiting" data-reason={campaign.waiting.reason}>
          {waitingLabel(campaign.waiting)}
        </p>
      ) : null}
      <section className="sb-section">
        <ProgressBar percent={percent} label={t('campaigns.progressLabel', { name: campaign.name })} />
        <p className="sb-muted" data-testid="campaign-processed">
          {t('campaigns.processed', {
            processed: campaign.progress.processed,
            total: campaign.progress.total,
          })}
        </p>
        <div className="sb-row">
          {can.edit ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => navigate(`/campaigns/${encodeURIComponent(id)}/edit`)}
              data-testid="campaign-edit"
            >
              {t('campaigns.edit')}
            </button>
          ) : null}
          {can.start ? (
            <button
              type="button"
              className="sb-primary"
              disabled={busy}
              onClick={() => void act('start')}
              data-testid="campaign-start"
            >
              {t('campaigns.start')}
            </button>
          ) : null}
          {can.pause ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => void act('pause')}
              data-testid="campaign-pause"
            >
              {t('campaigns.pause')}
            </button>
          ) : null}
          {can.resume ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => void act('resume')}
              data-testid="campaign-resume"
            >
              {t('campaigns.resume')}
            </button>
          ) : null}
          {can.cancel ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => setConfirming('cancel')}
              data-testid="campaign-cancel"
            >
              {t('campaigns.cancel')}
            </button>
          ) : null}
          {can.delete ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => setConfirming('delete')}
              data-testid="campaign-delete"
            >
              {t('campaigns.delete')}
            </button>
          ) : null}
        </div>
        {confirming ? (
          <div className="sb-notice is-error" role="alertdialog" data-testid="campaign-confirm">
            <span>{t(confirming === 'cancel' ? 'campaigns.confirmCancel' : 'campaigns.confirmDelete')}</span>
            <button
              type="button"
              className="sb-primary"
              onClick={() => void act(confirming)}
              data-testid="campaign-confirm-yes"
            >
              {t(confirming === 'cancel' ? 'campaigns.confirmCancelYes' : 'campaigns.confirmDeleteYes')}
            </button>
            <button type="button" onClick={() => setConfirming(null)} data-testid="campaign-confirm-no">
              {t('campaigns.confirmNo')}
            </button>
          </div>
        ) : null}
      </section>
      {limit ? (
        <section className="sb-section" data-testid="campaign-limit">
          <h2>{t('campaigns.limit.title')}</h2>
          <p>
            {limit.available === null
              ? t('campaigns.limit.unlimited', { used: limit.usedLast24h, tier: limit.tier })
              : t('campaigns.limit.figure', {
                  used: limit.usedLast24h,
                  available: limit.available,
                  tier: limit.tier,
                })}
          </p>
        </section>
      ) : null}
      {results ? <ResultsSection counts={campaign.counts} results={results} /> : null}
      {campaign.status !== 'draft' ? (
        <RecipientsTable
          id={id}
          refreshKey={`${campaign.status}:${campaign.progress.processed}`}
          results={results}
        />
      ) : null}
    </div>
  );
}
