import type { RunStatus } from '@switchboard/flow-schema';
import { t } from '../../i18n';

/** A run's or a step's status as a coloured chip (step statuses are a subset of run statuses). */
export function StatusChip({ status }: { status: RunStatus }) {
  return (
    <span className={`sb-chip status-${status}`} data-status={status}>
      {t(`exec.status.${status}`)}
    </span>
  );
}
