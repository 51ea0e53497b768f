import type { StepRecord } from '@switchboard/flow-schema';
import { t, useLang } from '../i18n';
import { useEditor } from '../store/editor';
import './executions/executions.css';
import { formatDateTime, formatDuration, prettyJson } from './executions/format';
import { stepsOfNode } from './executions/run-state';
import { StatusChip } from './executions/StatusChip';
import { portLabel } from './simulator/system-lines';

/**
 * What the selected node did in the shown run (the simulator's current run or the execution picked in
 * the executions panel): each attempt with its status, ports, timing, input, output and error.
 */
export function StepDetails({ nodeId }: { nodeId: string }) {
  useLang();
  const shownRunId = useEditor((s) => s.shownRunId);
  const run = useEditor((s) => s.shownRun);
  if (!shownRunId) return null;
  const steps = run ? stepsOfNode(run.steps, nodeId) : [];
  return (
    <section className="sb-step-details" data-testid="step-details">
      <h3>
        {t('step.title')} <code>{shownRunId}</code>
      </h3>
      {!run ? (
        <p className="sb-muted">{t('step.loading')}</p>
      ) : steps.length === 0 ? (
        <p className="sb-muted" data-testid="step-not-run">
          {t('step.notRun')}
        </p>
      ) : (
        steps.map((step) => <StepCard key={step.id} step={step} />)
      )}
    </section>
  );
}

function StepCard({ step }: { step: StepRecord }) {
  const lang = useLang();
  return (
    <article className="sb-step-card" data-testid={`step-detail-${step.id}`} data-status={step.status}>
      <header>
        <StatusChip status={step.status} />
        {step.attempt > 1 ? <span className="sb-muted">{t('step.attempt', { n: step.attempt })}</span> : null}
        {step.ports.length > 0 && !(step.ports.length === 1 && step.ports[0] === 'out') ? (
          <span className="sb-step-ports">
            {t('step.took', { ports: step.ports.map((p) => portLabel(p, t)).join(', ') })}
          </span>
        ) : null}
        <span className="sb-spacer" />
        <span className="sb-muted">
          {step.durationMs !== null ? formatDuration(step.durationMs) : t('step.stillRunning')}
        </span>
      </header>
      <p className="sb-muted sb-step-time">
        {t('step.started', { time: formatDateTime(step.startedAt, lang) })}
      </p>
      {step.error ? (
        <div className="sb-step-error" data-testid="step-error">
          <strong>{t('step.error')}</strong>
          {step.error.code ? <code>{step.error.code}</code> : null} {step.error.message}
          {step.error.retryable !== undefined ? (
            <span className="sb-muted">
              {' '}
              · {step.error.retryable ? t('step.retryable') : t('step.notRetryable')}
            </span>
          ) : null}
        </div>
      ) : null}
      <JsonBlock label={t('step.input')} value={step.input} testId="step-input" />
      <JsonBlock label={t('step.output')} value={step.output} testId="step-output" open />
    </article>
  );
}

function JsonBlock({
  label,
  value,
  testId,
  open,
}: {
  label: string;
  value: unknown;
  testId: string;
  open?: boolean;
}) {
  const text = prettyJson(value);
  return (
    <details className="sb-json" open={open} data-testid={testId}>
      <summary>{label}</summary>
      <pre>{text === '' || text === 'null' ? t('step.empty') : text}</pre>
    </details>
  );
}
