/** `GET /api/monitoring` (docs/monitoring.md). */
export interface MonitoringPoint {
  at: string;
  webhookEvents: number;
  webhookDuplicates: number;
  webhookRejections: number;
  webhookLatencyMs: number | null;
  sendsAccepted: number;
  sendsRetried: number;
  sendsFailed: number;
  sendsPerSecond: number;
  policyRefusals: number;
  runsStarted: number;
  runsFailed: number;
  subscriptionDelivered: number;
  subscriptionFailures: number;
  eventsPending: number | null;
  oldestEventAgeSeconds: number | null;
  runsQueued: number | null;
  runsRunning: number | null;
  runsWaiting: number | null;
  outboxQueued: number | null;
  deliveriesPending: number | null;
  deliveriesDead: number | null;
  errors: Record<string, number>;
}

export interface MonitoringReport {
  from: string;
  to: string;
  stepSeconds: number;
  bucketSeconds: number;
  sendLimitPerSecond: number;
  now: {
    eventsPending: number;
    oldestEventAgeSeconds: number;
    runsQueued: number;
    runsRunning: number;
    runsWaiting: number;
    outboxQueued: number;
    deliveriesPending: number;
    deliveriesDead: number;
    openIncidents: number;
  };
  totals: {
    webhookEvents: number;
    sendsAccepted: number;
    sendsRetried: number;
    sendsFailed: number;
    runsFailed: number;
    subscriptionFailures: number;
    errors: Array<{ code: string; count: number }>;
  };
  series: MonitoringPoint[];
}

export type Comparison = '>' | '>=' | '<' | '<=';

export interface AlertRule {
  id: string;
  name: string;
  metric: string;
  comparison: Comparison;
  threshold: number;
  durationSeconds: number;
  notify: { kind: 'slack' | 'http'; target: string };
  enabled: boolean;
  breachingSince: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AlertMetricInfo {
  name: string;
  kind: 'window' | 'now';
  unit: string;
  help: string;
}

export interface Incident {
  id: string;
  ruleId: string;
  ruleName: string;
  metric: string;
  comparison: string;
  threshold: number;
  status: 'open' | 'resolved';
  openedAt: string;
  openedValue: number;
  resolvedAt: string | null;
  resolvedValue: number | null;
  firingNotifiedAt: string | null;
  resolvedNotifiedAt: string | null;
  lastNoticeError: string | null;
}
