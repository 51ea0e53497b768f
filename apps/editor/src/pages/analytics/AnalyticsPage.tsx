import { useEffect, useMemo, useState } from 'react';
import { api, readHeaders } from '../../api/client';
import type { FlowRecord } from '../../api/types';
import { t } from '../../i18n';
import { ConsentView } from './ConsentView';
import { FlowsView } from './FlowsView';
import { MessagingView } from './MessagingView';
import { CsvExport } from './parts';
import { RoutingView } from './RoutingView';
import {
  browserTimeZone,
  csvFileName,
  type DateRange,
  PRESETS,
  type Preset,
  presetRange,
  REPORTS,
  type Report,
  rangeProblem,
  reportUrl,
  timeZoneOptions,
} from './range';
import type { Reports } from './types';
import './analytics.css';

type Loaded = { [K in Report]: { report: K; data: Reports[K] } }[Report];

/** Reports that a flow filter narrows (routing: conversations the flow opened). */
const FLOW_FILTERED: readonly Report[] = ['messaging', 'flows', 'routing'];

/**
 * Analytics: messaging, flows, routing and opt-in/opt-out over a date range in a time zone, as charts
 * with the exact numbers in tables under them, each exportable as CSV.
 */
export function AnalyticsPage() {
  const [tab, setTab] = useState<Report>('messaging');
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const [preset, setPreset] = useState<Preset>(7);
  const [custom, setCustom] = useState<DateRange>(() => presetRange(7, Date.now(), browserTimeZone()));
  const [flowId, setFlowId] = useState('');
  const [flows, setFlows] = useState<FlowRecord[]>([]);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  const range = useMemo(
    () => (preset === 'custom' ? custom : presetRange(preset, Date.now(), timeZone)),
    [preset, custom, timeZone],
  );
  const problem = rangeProblem(range);
  const flowFilter = FLOW_FILTERED.includes(tab) ? flowId : '';
  const url = problem ? null : reportUrl(tab, range, timeZone, { flowId: flowFilter });

  useEffect(() => {
    api.get<{ items: FlowRecord[] }>('/api/flows').then(
      (answer) => setFlows(answer.items),
      () => setFlows([]),
    );
  }, []);

  useEffect(() => {
    if (!url) return;
    const controller = new AbortController();
    setError(null);
    api.get<Reports[typeof tab]>(url, { signal: controller.signal }).then(
      (data) => setLoaded({ report: tab, data } as Loaded),
      (e: unknown) => {
        if (!controller.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => controller.abort();
  }, [url, tab]);

  /**
   * One table as CSV. Fetched with the same credentials as every call (an API key is a header, which
   * a plain link could not send) and handed to the browser as a download.
   */
  const exportCsv = async (table: string) => {
    if (problem) return;
    try {
      const res = await fetch(reportUrl(tab, range, timeZone, { flowId: flowFilter, csvTable: table }), {
        headers: readHeaders(),
        credentials: 'same-origin',
      });
      if (!res.ok) throw new Error(t('analytics.csvFailed', { status: res.status }));
      const blob = await res.blob();
      const href = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = href;
      a.download = csvFileName(tab, table, range);
      a.click();
      setTimeout(() => URL.revokeObjectURL(href), 1000);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const zones = useMemo(() => timeZoneOptions(timeZone), [timeZone]);
  return (
    <div className="sb-page sb-analytics" data-testid="analytics-page">
      <header className="sb-page-head sb-analytics-head">
        <h1>{t('analytics.title')}</h1>
        <div className="sb-analytics-presets" title={t('analytics.range')}>
          {PRESETS.map((days) => (
            <button
              type="button"
              key={days}
              className={preset === days ? 'is-active' : ''}
              aria-pressed={preset === days}
              onClick={() => setPreset(days)}
              data-testid={`range-${days}`}
            >
              {t('analytics.lastDays', { days })}
            </button>
          ))}
          <button
            type="button"
            className={preset === 'custom' ? 'is-active' : ''}
            aria-pressed={preset === 'custom'}
            onClick={() => {
              setCustom(range);
              setPreset('custom');
            }}
            data-testid="range-custom"
          >
            {t('analytics.custom')}
          </button>
        </div>
        {preset === 'custom' ? (
          <>
            <label>
              {t('analytics.from')}{' '}
              <input
                type="date"
                value={custom.fromDate}
                onChange={(e) => setCustom({ ...custom, fromDate: e.target.value })}
                data-testid="range-from"
              />
            </label>
            <label>
              {t('analytics.to')}{' '}
              <input
                type="date"
                value={custom.toDate}
                onChange={(e) => setCustom({ ...custom, toDate: e.target.value })}
                data-testid="range-to"
              />
            </label>
          </>
        ) : (
          <span className="sb-muted" data-testid="range-shown">
            {range.fromDate} – {range.toDate}
          </span>
        )}
        <label>
          {t('analytics.timezone')}{' '}
          <select value={timeZone} onChange={(e) => setTimeZone(e.target.value)} data-testid="timezone">
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
        {FLOW_FILTERED.includes(tab) ? (
          <label>
            {t('analytics.flow')}{' '}
            <select value={flowId} onChange={(e) => setFlowId(e.target.value)} data-testid="flow-filter">
              <option value="">{t('analytics.allFlows')}</option>
              {flows.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </header>
      <div className="sb-tabs sb-analytics-tabs" role="tablist">
        {REPORTS.map((r) => (
          <button
            type="button"
            role="tab"
            key={r}
            aria-selected={tab === r}
            className={tab === r ? 'is-active' : ''}
            onClick={() => setTab(r)}
            data-testid={`tab-${r}`}
          >
            {t(`analytics.tab.${r}`)}
          </button>
        ))}
      </div>
      {problem ? (
        <p className="sb-error" data-testid="range-problem">
          {t(problem)}
        </p>
      ) : null}
      {error ? (
        <p className="sb-error" role="alert" data-testid="analytics-error">
          {error}
        </p>
      ) : null}
      <CsvExport.Provider value={problem ? null : (table) => void exportCsv(table)}>
        <div className="sb-analytics-report" data-testid={`report-${tab}`}>
          {loaded?.report !== tab ? (
            <p className="sb-muted">{t('common.loading')}</p>
          ) : loaded.report === 'messaging' ? (
            <MessagingView report={loaded.data} />
          ) : loaded.report === 'flows' ? (
            <FlowsView report={loaded.data} />
          ) : loaded.report === 'routing' ? (
            <RoutingView report={loaded.data} />
          ) : (
            <ConsentView report={loaded.data} />
          )}
        </div>
      </CsvExport.Provider>
    </div>
  );
}
