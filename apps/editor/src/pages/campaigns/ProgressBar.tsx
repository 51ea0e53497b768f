import { t } from '../../i18n';

/** An accessible progress bar with its percent in words (`role="progressbar"`, aria values 0–100). */
export function ProgressBar({
  percent,
  label,
  compact,
}: {
  percent: number;
  label: string;
  compact?: boolean;
}) {
  return (
    <div className={`sb-camp-progress${compact ? ' is-compact' : ''}`}>
      <div
        className="sb-camp-bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={t('campaigns.percent', { n: percent })}
        data-testid="campaign-progress"
      >
        <div className="sb-camp-bar-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="sb-camp-percent" data-testid="campaign-percent">
        {t('campaigns.percent', { n: percent })}
      </span>
    </div>
  );
}

const STATUS_CLASS: Record<string, string> = {
  running: 'is-on',
  completed: 'is-on',
  scheduled: 'is-warn',
  paused: 'is-warn',
  cancelled: 'is-bad',
};

/** The campaign's status as a coloured badge. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      className={`sb-badge ${STATUS_CLASS[status] ?? ''}`}
      data-testid="campaign-status"
      data-status={status}
    >
      {t(`campaigns.status.${status}`)}
    </span>
  );
}
