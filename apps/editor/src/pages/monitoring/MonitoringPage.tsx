import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api/client';
import { t } from '../../i18n';
import { COLORS, Figures } from '../analytics/parts';
import { AlertRules } from './AlertRules';
import { chartRows, errorRows, POLL_MS } from './model';
import { TimeChart } from './TimeChart';
import type { MonitoringReport } from './types';
import '../analytics/analytics.css';
import './monitoring.css';

const ERROR_COLORS = [COLORS.red, COLORS.orange, COLORS.navy, COLORS.grey, COLORS.blue];

/**
 * The health page: the last hour of webhook ingest, queues, runs, sends against the limit, errors by
 * code and subscription failures, polled every few seconds (no reload); and the alert rules.
 */
export function MonitoringPage() {
  const [report, setReport] = useState<MonitoringReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const load = async () => {
      try {
        const got = await api.get<MonitoringReport>('/api/monitoring?minutes=60&step=60', {
          signal: controller.signal,
        });
        if (stopped) return;
        setReport(got);
        setUpdatedAt(new Date());
        setError(null);
      } catch (e) {
        if (!stopped) setError(e instanceof Error ? e.message : String(e));
      }
      if (!stopped) timer = setTimeout(load, POLL_MS);
    };
    void load();
    return () => {
      stopped = true;
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, []);

  const rows = useMemo(
    () => (report ? chartRows(report.series).map((r) => ({ ...r, limit: report.sendLimitPerSecond })) : []),
    [report],
  );
  const errors = useMemo(() => errorRows(report?.series ?? []), [report]);
  const errorChartRows = useMemo(
    () => rows.map((r, i) => ({ time: r.time, sendsFailedAll: r.sendsFailedAll, ...errors.rows[i] })),
    [rows, errors],
  );

  return (
    <div className="sb-page sb-monitoring" data-testid="monitoring-page">
      <header className="sb-page-head">
        <h1>{t('monitoring.title')}</h1>
        {error ? (
          <span className="sb-error" data-testid="monitoring-stale">
            {t('monitoring.stale', { error })}
          </span>
        ) : updatedAt ? (
          <span className="sb-muted" data-testid="monitoring-updated">
            <span className="sb-monitoring-live" aria-hidden="true" />
            {t('monitoring.lastHour', { time: updatedAt.toLocaleTimeString() })}
          </span>
        ) : null}
      </header>
      {report ? (
        <>
          <Figures
            items={[
              {
                label: t('monitoring.fig.eventsPending'),
                value: report.now.eventsPending,
                testId: 'mon-events-pending',
              },
              {
                label: t('monitoring.fig.oldestEvent'),
                value: `${Math.round(report.now.oldestEventAgeSeconds)} s`,
                testId: 'mon-oldest-event',
              },
              {
                label: t('monitoring.fig.runsWaiting'),
                value: report.now.runsWaiting,
                testId: 'mon-runs-waiting',
              },
              {
                label: t('monitoring.fig.runsQueued'),
                value: report.now.runsQueued,
                testId: 'mon-runs-queued',
              },
              {
                label: t('monitoring.fig.outboxQueued'),
                value: report.now.outboxQueued,
                testId: 'mon-outbox-queued',
              },
              {
                label: t('monitoring.fig.deliveriesDead'),
                value: report.now.deliveriesDead,
                testId: 'mon-dead',
              },
              {
                label: t('monitoring.fig.openIncidents'),
                value: report.now.openIncidents,
                testId: 'mon-open-incidents',
              },
              {
                label: t('monitoring.fig.sendLimit'),
                value: `${report.sendLimitPerSecond}/s`,
                testId: 'mon-send-limit',
              },
            ]}
          />
          <div className="sb-monitoring-grid">
            <TimeChart
              title={t('monitoring.chart.ingest')}
              rows={rows}
              testId="chart-ingest"
              series={[
                { key: 'webhookEvents', label: t('monitoring.s.webhookEvents'), color: COLORS.green },
                { key: 'webhookDuplicates', label: t('monitoring.s.duplicates'), color: COLORS.grey },
                { key: 'webhookRejections', label: t('monitoring.s.rejections'), color: COLORS.red },
              ]}
            />
            <TimeChart
              title={t('monitoring.chart.latency')}
              rows={rows}
              testId="chart-latency"
              series={[{ key: 'webhookLatencyMs', label: t('monitoring.s.latency'), color: COLORS.navy }]}
            />
            <TimeChart
              title={t('monitoring.chart.queue')}
              rows={rows}
              testId="chart-queue"
              series={[
                { key: 'eventsPending', label: t('monitoring.s.eventsPending'), color: COLORS.blue },
                { key: 'oldestEventAgeSeconds', label: t('monitoring.s.oldest'), color: COLORS.orange },
              ]}
            />
            <TimeChart
              title={t('monitoring.chart.runs')}
              rows={rows}
              testId="chart-runs"
              series={[
                { key: 'runsWaiting', label: t('monitoring.s.runsWaiting'), color: COLORS.blue },
                { key: 'runsQueued', label: t('monitoring.s.runsQueued'), color: COLORS.grey },
                { key: 'runsFailed', label: t('monitoring.s.runsFailed'), color: COLORS.red },
              ]}
            />
            <TimeChart
              title={t('monitoring.chart.sends')}
              rows={rows}
              testId="chart-sends"
              series={[
                { key: 'sendsPerSecond', label: t('monitoring.s.sendRate'), color: COLORS.green },
                { key: 'limit', label: t('monitoring.s.limit'), color: COLORS.grey, dashed: true },
              ]}
            />
            <TimeChart
              title={t('monitoring.chart.subscriptions')}
              rows={rows}
              testId="chart-subscriptions"
              series={[
                {
                  key: 'subscriptionFailures',
                  label: t('monitoring.s.subscriptionFailures'),
                  color: COLORS.orange,
                },
                { key: 'deliveriesDead', label: t('monitoring.s.deliveriesDead'), color: COLORS.red },
              ]}
            />
            <TimeChart
              title={t('monitoring.chart.errors')}
              rows={errorChartRows}
              testId="chart-errors"
              series={[
                {
                  key: 'sendsFailedAll',
                  label: t('monitoring.s.sendsFailed'),
                  color: COLORS.grey,
                  dashed: true,
                },
                ...errors.codes.map((code, i) => ({
                  key: `code_${code}`,
                  label: code,
                  color: ERROR_COLORS[i % ERROR_COLORS.length]!,
                })),
              ]}
            />
          </div>
          <section className="sb-analytics-section">
            <h3>{t('monitoring.chart.errors')}</h3>
            {report.totals.errors.length === 0 ? (
              <p className="sb-muted">{t('monitoring.noErrors')}</p>
            ) : (
              <table className="sb-table sb-analytics-table" data-testid="table-errors">
                <thead>
                  <tr>
                    <th>{t('monitoring.col.code')}</th>
                    <th className="is-num">{t('monitoring.col.count')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.totals.errors.map((e) => (
                    <tr key={e.code}>
                      <td>{e.code}</td>
                      <td className="is-num">{e.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      ) : null}
      <AlertRules />
    </div>
  );
}
