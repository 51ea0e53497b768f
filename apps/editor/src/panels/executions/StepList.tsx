import type { StepRecord } from '@switchboard/flow-schema';
import { useFitNodes } from '../../canvas/useFitNodes';
import { t } from '../../i18n';
import { useEditor } from '../../store/editor';
import { portLabel } from '../simulator/system-lines';
import { formatDuration } from './format';
import { StatusChip } from './StatusChip';
import { useNodeTitle } from './useNodeTitle';

/**
 * The run's steps in order. Clicking one selects its node on the canvas (and brings it into view), so
 * the step details below, and in the inspector, show that node's input and output.
 */
export function StepList({ steps, onCanvas }: { steps: readonly StepRecord[]; onCanvas: boolean }) {
  const select = useEditor((s) => s.select);
  const selected = useEditor((s) => s.selectedNodes);
  const nodeTitle = useNodeTitle();
  const fitNodes = useFitNodes();
  const ordered = [...steps].sort((a, b) => a.seq - b.seq || a.attempt - b.attempt);

  const pick = (step: StepRecord) => {
    if (!onCanvas) return;
    select([step.nodeId], []);
    fitNodes([step.nodeId], { maxZoom: 1.2 });
  };

  return (
    <ol className="sb-exec-steps" data-testid="execution-steps">
      {ordered.length === 0 ? <li className="sb-muted">{t('exec.noSteps')}</li> : null}
      {ordered.map((step) => (
        <li key={step.id}>
          <button
            type="button"
            className={selected.length === 1 && selected[0] === step.nodeId ? 'is-selected' : ''}
            onClick={() => pick(step)}
            disabled={!onCanvas}
            data-testid={`execution-step-${step.id}`}
            data-node-id={step.nodeId}
            data-status={step.status}
          >
            <span className="sb-exec-seq">{step.seq}</span>
            <span className="sb-exec-node">{nodeTitle(step.nodeId, step.nodeType)}</span>
            <StatusChip status={step.status} />
            {step.ports.length > 0 && !(step.ports.length === 1 && step.ports[0] === 'out') ? (
              <span className="sb-step-ports">→ {step.ports.map((p) => portLabel(p, t)).join(', ')}</span>
            ) : null}
            <span className="sb-spacer" />
            <span className="sb-muted">
              {step.durationMs !== null ? formatDuration(step.durationMs) : '…'}
            </span>
          </button>
          {step.error ? (
            <p className="sb-exec-step-error">
              {step.error.code ? <code>{step.error.code}</code> : null} {step.error.message}
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
