import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client';
import { useCredentials } from '../../api/lookups';
import { t } from '../../i18n';
import { draftOf, emptyDraft, POLL_MS, type RuleDraft, ruleBody, withUnit } from './model';
import type { AlertMetricInfo, AlertRule, Comparison, Incident } from './types';

const COMPARISONS: readonly Comparison[] = ['>', '>=', '<', '<='];

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** Alert rules (create, edit, disable, delete) and their incidents, open and past. */
export function AlertRules() {
  const [rules, setRules] = useState<AlertRule[]>([]);
  const [metrics, setMetrics] = useState<AlertMetricInfo[]>([]);
  const [incidents, setIncidents] = useState<Incident[]>([]);
  const [editing, setEditing] = useState<{ id: string | null; draft: RuleDraft } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [r, i] = await Promise.all([
        api.get<{ items: AlertRule[]; metrics: AlertMetricInfo[] }>('/api/alerts'),
        api.get<{ items: Incident[] }>('/api/alerts/incidents?limit=50'),
      ]);
      setRules(r.items);
      setMetrics(r.metrics);
      setIncidents(i.items);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const unitOf = (metric: string) => metrics.find((m) => m.name === metric)?.unit ?? 'count';
  const condition = (r: { metric: string; comparison: string; threshold: number }) =>
    `${t(`monitoring.metric.${r.metric}`)} ${r.comparison} ${withUnit(r.threshold, unitOf(r.metric))}`;
  const open = incidents.filter((i) => i.status === 'open');
  const past = incidents.filter((i) => i.status === 'resolved');

  return (
    <section className="sb-analytics-section" data-testid="alert-rules">
      <h3>
        {t('monitoring.alerts')}
        {editing ? null : (
          <button
            type="button"
            className="sb-link"
            onClick={() =>
              setEditing({ id: null, draft: emptyDraft(metrics[0]?.name ?? 'send_failure_ratio') })
            }
            data-testid="alert-new"
          >
            {t('monitoring.alerts.new')}
          </button>
        )}
      </h3>
      {error ? (
        <p className="sb-error" data-testid="alert-error">
          {error}
        </p>
      ) : null}
      {editing ? (
        <RuleForm
          draft={editing.draft}
          metrics={metrics}
          onCancel={() => setEditing(null)}
          onSave={(body) =>
            act(async () => {
              if (editing.id) await api.patch(`/api/alerts/${encodeURIComponent(editing.id)}`, body);
              else await api.post('/api/alerts', body);
              setEditing(null);
            })
          }
        />
      ) : null}
      {rules.length === 0 ? (
        <p className="sb-muted">{t('monitoring.alerts.none')}</p>
      ) : (
        <table className="sb-table sb-analytics-table" data-testid="alert-table">
          <thead>
            <tr>
              <th>{t('monitoring.col.rule')}</th>
              <th>{t('monitoring.col.condition')}</th>
              <th>{t('monitoring.field.notify')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.id} data-testid={`alert-rule-${r.name}`}>
                <td>
                  {r.name}{' '}
                  <span className="sb-muted">
                    ({r.enabled ? t('monitoring.alerts.enabled') : t('monitoring.alerts.disabled')})
                  </span>
                  {r.breachingSince ? (
                    <div className="sb-muted">
                      {t('monitoring.alerts.breaching', { time: when(r.breachingSince) })}
                    </div>
                  ) : null}
                </td>
                <td>
                  {condition(r)} {t('monitoring.alerts.for', { seconds: r.durationSeconds })}
                </td>
                <td>
                  {r.notify.kind === 'slack' ? 'Slack' : 'HTTP'}: {r.notify.target}
                </td>
                <td className="sb-monitoring-actions">
                  <button type="button" onClick={() => setEditing({ id: r.id, draft: draftOf(r) })}>
                    {t('monitoring.alerts.edit')}
                  </button>
                  <button
                    type="button"
                    onClick={() =>
                      act(() => api.patch(`/api/alerts/${encodeURIComponent(r.id)}`, { enabled: !r.enabled }))
                    }
                    data-testid={`alert-toggle-${r.name}`}
                  >
                    {r.enabled ? t('monitoring.alerts.disable') : t('monitoring.alerts.enable')}
                  </button>
                  <button
                    type="button"
                    onClick={() => {
                      if (window.confirm(t('monitoring.alerts.confirmDelete', { name: r.name })))
                        void act(() => api.delete(`/api/alerts/${encodeURIComponent(r.id)}`));
                    }}
                  >
                    {t('monitoring.alerts.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('monitoring.incidents')}</h3>
      {incidents.length === 0 ? (
        <p className="sb-muted">{t('monitoring.incidents.none')}</p>
      ) : (
        <>
          <IncidentTable
            title={t('monitoring.incidents.open')}
            items={open}
            condition={condition}
            unitOf={unitOf}
            testId="incidents-open"
          />
          <IncidentTable
            title={t('monitoring.incidents.past')}
            items={past}
            condition={condition}
            unitOf={unitOf}
            testId="incidents-past"
          />
        </>
      )}
    </section>
  );
}

function IncidentTable({
  title,
  items,
  condition,
  unitOf,
  testId,
}: {
  title: string;
  items: Incident[];
  condition(i: Incident): string;
  unitOf(metric: string): string;
  testId: string;
}) {
  if (items.length === 0) return null;
  const notice = (at: string | null, error: string | null) =>
    at ? t('monitoring.notice.sent') : error ? t('monitoring.notice.failed') : t('monitoring.notice.owed');
  return (
    <table className="sb-table sb-analytics-table" data-testid={testId}>
      <caption className={testId === 'incidents-open' ? 'sb-monitoring-open' : 'sb-muted'}>{title}</caption>
      <thead>
        <tr>
          <th>{t('monitoring.col.rule')}</th>
          <th>{t('monitoring.col.condition')}</th>
          <th>{t('monitoring.col.opened')}</th>
          <th>{t('monitoring.col.resolved')}</th>
          <th>{t('monitoring.col.value')}</th>
          <th>{t('monitoring.col.notice')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.id}>
            <td>{i.ruleName}</td>
            <td>{condition(i)}</td>
            <td>{when(i.openedAt)}</td>
            <td>{when(i.resolvedAt)}</td>
            <td>
              {withUnit(i.openedValue, unitOf(i.metric))}
              {i.resolvedValue !== null ? ` → ${withUnit(i.resolvedValue, unitOf(i.metric))}` : ''}
            </td>
            <td title={i.lastNoticeError ?? undefined}>
              {notice(i.firingNotifiedAt, i.lastNoticeError)}
              {i.status === 'resolved'
                ? ` / ${
                    // Resolved with no value: the rule was disabled or deleted, and owed no notice.
                    i.resolvedValue === null
                      ? t('monitoring.notice.none')
                      : notice(i.resolvedNotifiedAt, i.firingNotifiedAt ? i.lastNoticeError : null)
                  }`
                : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The rule form: fields checked here first (the server checks again and names what it refuses). */
function RuleForm({
  draft: initial,
  metrics,
  onSave,
  onCancel,
}: {
  draft: RuleDraft;
  metrics: AlertMetricInfo[];
  onSave(body: Record<string, unknown>): void;
  onCancel(): void;
}) {
  const [d, setD] = useState(initial);
  const [problems, setProblems] = useState<Partial<Record<keyof RuleDraft, string>>>({});
  const credentials = (useCredentials().items ?? []).filter((c) => c.type === 'slack');
  const set = (patch: Partial<RuleDraft>) => setD({ ...d, ...patch });
  const problem = (field: keyof RuleDraft) => {
    const key = problems[field];
    return key ? <span className="sb-error">{t(key)}</span> : null;
  };
  const metric = metrics.find((m) => m.name === d.metric);
  return (
    <form
      className="sb-monitoring-form"
      data-testid="alert-form"
      onSubmit={(e) => {
        e.preventDefault();
        const checked = ruleBody(d);
        if (!checked.ok) return setProblems(checked.problems);
        setProblems({});
        onSave(checked.body);
      }}
    >
      <label>
        {t('monitoring.field.name')}
        <input value={d.name} onChange={(e) => set({ name: e.target.value })} data-testid="alert-name" />
        {problem('name')}
      </label>
      <label>
        {t('monitoring.field.metric')}
        <select value={d.metric} onChange={(e) => set({ metric: e.target.value })} data-testid="alert-metric">
          {metrics.map((m) => (
            <option key={m.name} value={m.name}>
              {t(`monitoring.metric.${m.name}`)}
            </option>
          ))}
        </select>
        {metric?.kind === 'window' ? <span className="sb-muted">{t('monitoring.window')}</span> : null}
      </label>
      <label>
        {t('monitoring.field.comparison')}
        <select
          value={d.comparison}
          onChange={(e) => set({ comparison: e.target.value as Comparison })}
          data-testid="alert-comparison"
        >
          {COMPARISONS.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('monitoring.field.threshold')}
        <input
          inputMode="decimal"
          value={d.threshold}
          onChange={(e) => set({ threshold: e.target.value })}
          data-testid="alert-threshold"
        />
        {problem('threshold')}
      </label>
      <label>
        {t('monitoring.field.duration')}
        <input
          inputMode="numeric"
          value={d.durationSeconds}
          onChange={(e) => set({ durationSeconds: e.target.value })}
          data-testid="alert-duration"
        />
        {problem('durationSeconds')}
      </label>
      <label>
        {t('monitoring.field.notify')}
        <select
          value={d.notifyKind}
          onChange={(e) => set({ notifyKind: e.target.value as 'slack' | 'http', notifyTarget: '' })}
          data-testid="alert-notify-kind"
        >
          <option value="slack">{t('monitoring.field.slack')}</option>
          <option value="http">{t('monitoring.field.http')}</option>
        </select>
      </label>
      {d.notifyKind === 'slack' ? (
        <label>
          {t('monitoring.field.slack')}
          <select
            value={d.notifyTarget}
            onChange={(e) => set({ notifyTarget: e.target.value })}
            data-testid="alert-target"
          >
            <option value="" />
            {credentials.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
          {problem('notifyTarget')}
        </label>
      ) : (
        <label>
          {t('monitoring.field.http')}
          <input
            value={d.notifyTarget}
            placeholder="https://"
            onChange={(e) => set({ notifyTarget: e.target.value })}
            data-testid="alert-target"
          />
          {problem('notifyTarget')}
        </label>
      )}
      <label>
        {t('monitoring.alerts.enabled')}
        <input type="checkbox" checked={d.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
      </label>
      <div className="sb-monitoring-actions">
        <button type="submit" className="sb-primary" data-testid="alert-save">
          {t('monitoring.alerts.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('monitoring.alerts.cancel')}
        </button>
      </div>
    </form>
  );
}
