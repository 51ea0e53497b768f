import type { RunSummary } from '../../api/types';
import { t, useLang } from '../../i18n';
import { formatDateTime, formatDuration, runDurationMs } from './format';
import { StatusChip } from './StatusChip';

/** Runs newest first; each row shows status, when, how long, who, and (across flows) which flow. */
export function RunList({
  items,
  selectedId,
  showFlow,
  onSelect,
}: {
  items: readonly RunSummary[];
  selectedId: string | null;
  showFlow: boolean;
  onSelect: (run: RunSummary) => void;
}) {
  const lang = useLang();
  const now = Date.now();
  return (
    <ul className="sb-exec-list">
      {items.map((run) => (
        <li key={run.id}>
          <button
            type="button"
            className={run.id === selectedId ? 'is-selected' : ''}
            aria-pressed={run.id === selectedId}
            onClick={() => onSelect(run)}
            data-testid={`execution-row-${run.id}`}
            data-status={run.status}
          >
            <StatusChip status={run.status} />
            <span className="sb-exec-when">{formatDateTime(run.createdAt, lang, now)}</span>
            <span className="sb-muted">{formatDuration(runDurationMs(run, now))}</span>
            <span className="sb-exec-who">
              {showFlow ? <code>{run.flowId}</code> : null} {run.contactId ?? t('exec.noContact')}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
