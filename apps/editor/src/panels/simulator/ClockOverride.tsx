import { t } from '../../i18n';
import { TIME_ZONES } from './ContactForm';
import { zonedTimeToIso } from './clock';

export interface ClockSetting {
  enabled: boolean;
  /** A datetime-local value: wall-clock time in `timeZone`. */
  local: string;
  timeZone: string;
}

/** The instant to send as `clock`: undefined when off, null when on but not valid. */
export function clockInstant(clock: ClockSetting): string | null | undefined {
  if (!clock.enabled) return undefined;
  return zonedTimeToIso(clock.local, clock.timeZone);
}

/** "Pretend it is Monday 09:30 in Madrid": to try business hours and delays without waiting. */
export function ClockOverride({
  value,
  onChange,
}: {
  value: ClockSetting;
  onChange: (c: ClockSetting) => void;
}) {
  const invalid = value.enabled && clockInstant(value) === null;
  return (
    <section className="sim-clock" data-testid="sim-clock">
      <label className="sim-check">
        <input
          type="checkbox"
          checked={value.enabled}
          onChange={(e) => onChange({ ...value, enabled: e.target.checked })}
          data-testid="sim-clock-enabled"
        />
        {t('sim.clock.toggle')}
      </label>
      {value.enabled ? (
        <div className="sim-grid">
          <label className="sim-field">
            <span>{t('sim.clock.time')}</span>
            <input
              type="datetime-local"
              value={value.local}
              onChange={(e) => onChange({ ...value, local: e.target.value })}
              data-testid="sim-clock-time"
            />
          </label>
          <label className="sim-field">
            <span>{t('sim.clock.zone')}</span>
            <input
              value={value.timeZone}
              list="sim-clock-zones"
              onChange={(e) => onChange({ ...value, timeZone: e.target.value })}
              data-testid="sim-clock-zone"
            />
            <datalist id="sim-clock-zones">
              {TIME_ZONES.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </label>
        </div>
      ) : null}
      {invalid ? <p className="sb-error">{t('sim.clock.invalid')}</p> : null}
    </section>
  );
}
