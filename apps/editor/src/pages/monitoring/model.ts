import type { AlertRule, Comparison, MonitoringPoint } from './types';

/** How often the page asks for fresh figures. */
export const POLL_MS = 5_000;

/** A chart row: the point's clock time as the x label, and the fields the charts plot. */
export function chartRows(series: readonly MonitoringPoint[], timeZone?: string) {
  const format = new Intl.DateTimeFormat(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  });
  return series.map((p) => ({
    ...p,
    time: format.format(new Date(p.at)),
    sendsFailedAll: p.sendsFailed + p.sendsRetried,
  }));
}

/** The codes seen in the series, most frequent first, and one row per point with a count per code. */
export function errorRows(series: readonly MonitoringPoint[]) {
  const totals = new Map<string, number>();
  for (const p of series)
    for (const [code, n] of Object.entries(p.errors)) totals.set(code, (totals.get(code) ?? 0) + n);
  const codes = [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
  return {
    codes,
    rows: series.map((p) => Object.fromEntries(codes.map((c) => [`code_${c}`, p.errors[c] ?? 0]))),
  };
}

/** What the rule form edits (numbers as typed). */
export interface RuleDraft {
  name: string;
  metric: string;
  comparison: Comparison;
  threshold: string;
  durationSeconds: string;
  notifyKind: 'slack' | 'http';
  notifyTarget: string;
  enabled: boolean;
}

export const emptyDraft = (metric: string): RuleDraft => ({
  name: '',
  metric,
  comparison: '>',
  threshold: '',
  durationSeconds: '60',
  notifyKind: 'slack',
  notifyTarget: '',
  enabled: true,
});

export const draftOf = (r: AlertRule): RuleDraft => ({
  name: r.name,
  metric: r.metric,
  comparison: r.comparison,
  threshold: String(r.threshold),
  durationSeconds: String(r.durationSeconds),
  notifyKind: r.notify.kind,
  notifyTarget: r.notify.target,
  enabled: r.enabled,
});

/** The API body of a draft, or the problems (message keys by field) that keep it from being sent. */
export function ruleBody(
  d: RuleDraft,
):
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; problems: Partial<Record<keyof RuleDraft, string>> } {
  const problems: Partial<Record<keyof RuleDraft, string>> = {};
  const threshold = Number(d.threshold);
  const duration = Number(d.durationSeconds);
  if (!d.name.trim()) problems.name = 'monitoring.problem.name';
  if (d.threshold.trim() === '' || !Number.isFinite(threshold))
    problems.threshold = 'monitoring.problem.number';
  if (d.durationSeconds.trim() === '' || !Number.isInteger(duration) || duration < 0 || duration > 86_400)
    problems.durationSeconds = 'monitoring.problem.duration';
  if (!d.notifyTarget.trim()) problems.notifyTarget = 'monitoring.problem.target';
  else if (d.notifyKind === 'http' && !/^https?:\/\/\S+$/i.test(d.notifyTarget.trim()))
    problems.notifyTarget = 'monitoring.problem.url';
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    body: {
      name: d.name.trim(),
      metric: d.metric,
      comparison: d.comparison,
      threshold,
      durationSeconds: duration,
      notify: { kind: d.notifyKind, target: d.notifyTarget.trim() },
      enabled: d.enabled,
    },
  };
}

/** "12.5 %", "3 s", "2"…: a value in its metric's unit. */
export function withUnit(value: number, unit: string): string {
  const shown = Math.round(value * 100) / 100;
  if (unit === '%') return `${shown} %`;
  if (unit === 'count') return String(shown);
  return `${shown} ${unit}`;
}
