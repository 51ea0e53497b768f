import { t } from '../../i18n';
import { skipReasonLabel } from './labels';
import { RECIPIENT_STATES } from './model';
import type { CampaignResults, Counts } from './types';

/** The campaign's results: recipients by state, skipped by reason, failed by WhatsApp error code. */
export function ResultsSection({ counts, results }: { counts: Counts; results: CampaignResults }) {
  return (
    <section className="sb-section" data-testid="campaign-results">
      <h2>{t('campaigns.results')}</h2>
      <div className="sb-camp-grid">
        <table className="sb-table sb-camp-counts" data-testid="campaign-counts">
          <caption className="sb-muted">{t('campaigns.results.byState')}</caption>
          <tbody>
            {RECIPIENT_STATES.map((s) => (
              <tr key={s} data-testid="count-row" data-state={s}>
                <td>{t(`campaigns.state.${s}`)}</td>
                <td data-testid={`count-${s}`}>{counts[s] ?? 0}</td>
              </tr>
            ))}
            <tr data-testid="count-row" data-state="replied">
              <td>{t('campaigns.state.replied')}</td>
              <td data-testid="count-replied">{counts.replied ?? 0}</td>
            </tr>
          </tbody>
        </table>
        <table className="sb-table sb-camp-counts" data-testid="campaign-skipped">
          <caption className="sb-muted">{t('campaigns.results.skipped')}</caption>
          <tbody>
            {results.skipped.length === 0 ? (
              <tr>
                <td className="sb-muted">{t('campaigns.results.none')}</td>
              </tr>
            ) : (
              results.skipped.map((s) => (
                <tr key={s.reason} data-testid="skipped-row" data-reason={s.reason}>
                  <td>{skipReasonLabel(s.reason)}</td>
                  <td data-testid="skipped-count">{s.count}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
        <table className="sb-table sb-camp-counts" data-testid="campaign-failed">
          <caption className="sb-muted">{t('campaigns.results.failed')}</caption>
          <tbody>
            {results.failed.length === 0 ? (
              <tr>
                <td className="sb-muted">{t('campaigns.results.none')}</td>
              </tr>
            ) : (
              results.failed.map((f) => (
                <tr key={String(f.code)} data-testid="failed-row" data-code={String(f.code)}>
                  <td>
                    <code>{f.code}</code> {f.title}
                  </td>
                  <td data-testid="failed-count">{f.count}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
