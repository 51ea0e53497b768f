import type { EngineEvent } from '@switchboard/engine';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics for `/metrics`: HTTP traffic, runs and steps. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchboard_process_' });
  const http = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  const runsStarted = new Counter({
    name: 'switchboard_runs_started_total',
    help: 'Runs created',
    registers: [registry],
  });
  const runsFinished = new Counter({
    name: 'switchboard_runs_finished_total',
    help: 'Runs that ended, by final status',
    labelNames: ['status'],
    registers: [registry],
  });
  const steps = new Histogram({
    name: 'switchboard_step_duration_seconds',
    help: 'Node step duration by node type and outcome',
    labelNames: ['node_type', 'status'],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  const webhookEvents = new Counter({
    name: 'switchboard_webhook_events_total',
    help: 'Webhook events accepted, by type and whether they were re-deliveries',
    labelNames: ['type', 'duplicate'],
    registers: [registry],
  });
  const webhookRejections = new Counter({
    name: 'switchboard_webhook_rejections_total',
    help: 'Webhook requests refused, by reason',
    labelNames: ['reason'],
    registers: [registry],
  });
  const policyRefusals = new Counter({
    name: 'switchboard_policy_refusals_total',
    help: 'Outgoing messages refused by WhatsApp policy, by reason',
    labelNames: ['reason'],
    registers: [registry],
  });
  const sends = new Counter({
    name: 'switchboard_outbox_sends_total',
    help: 'Send attempts to the Cloud API, by outcome (accepted, retry, failed)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const consentChanges = new Counter({
    name: 'switchboard_consent_changes_total',
    help: 'Opt-ins and opt-outs, by direction and source',
    labelNames: ['direction', 'source'],
    registers: [registry],
  });
  const sendErrors = new Counter({
    name: 'switchboard_send_errors_total',
    help: 'Cloud API errors on send attempts, by error code (Meta code, or HTTP status when none)',
    labelNames: ['code'],
    registers: [registry],
  });
  const subscriptionAttempts = new Counter({
    name: 'switchboard_subscription_attempts_total',
    help: 'Subscription delivery attempts, by outcome (delivered, retry, dead)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const campaignRecipients = new Counter({
    name: 'switchboard_campaign_recipients_total',
    help: 'Campaign recipients handled, by outcome (queued, skipped) and skip reason',
    labelNames: ['outcome', 'reason'],
    registers: [registry],
  });
  return {
    registry,
    campaignRecipients,
    sendErrors,
    subscriptionAttempts,
    http,
    webhookEvents,
    webhookRejections,
    policyRefusals,
    sends,
    consentChanges,
    onEngineEvent(e: EngineEvent) {
      if (e.type === 'run.created') runsStarted.inc();
      else if (e.type === 'run.finished') runsFinished.inc({ status: e.status });
      else if (e.type === 'node.finished')
        steps.observe({ node_type: e.nodeType, status: e.status }, e.durationMs / 1000);
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
