import { useState } from 'react';
import { t } from '../../i18n';
import { FAULTS } from './faults';

/** Restart, inject a failure into the next send, and skip the wait of a run waiting on a timer. */
export function SimToolbar({
  busy,
  canSkipWait,
  onRestart,
  onFault,
  onSkipWait,
}: {
  busy: boolean;
  canSkipWait: boolean;
  onRestart: () => void;
  onFault: (fault: { code: number; title: string }) => void;
  onSkipWait: () => void;
}) {
  const [code, setCode] = useState(FAULTS[0]!.code);
  const fault = FAULTS.find((f) => f.code === code) ?? FAULTS[0]!;
  return (
    <div className="sim-toolbar">
      {canSkipWait ? (
        <button
          type="button"
          className="sim-skip"
          onClick={onSkipWait}
          disabled={busy}
          title={t('sim.skipWait.title')}
          data-testid="sim-skip-wait"
        >
          ⏩ {t('sim.skipWait')}
        </button>
      ) : null}
      <span className="sb-spacer" />
      <span className="sim-fault">
        <select
          value={code}
          onChange={(e) => setCode(Number(e.target.value))}
          aria-label={t('sim.fault.code')}
          title={fault.title}
          data-testid="sim-fault-code"
        >
          {FAULTS.map((f) => (
            <option key={f.code} value={f.code}>
              {f.code} · {f.title}
            </option>
          ))}
        </select>
        <button
          type="button"
          onClick={() => onFault(fault)}
          disabled={busy}
          title={t('sim.fault.title')}
          data-testid="sim-fault"
        >
          ⚡ {t('sim.fault')}
        </button>
      </span>
      <button
        type="button"
        onClick={onRestart}
        disabled={busy}
        title={t('sim.restart.title')}
        data-testid="sim-restart"
      >
        ↺ {t('sim.restart')}
      </button>
    </div>
  );
}
