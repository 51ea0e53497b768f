import { useId, useMemo, useState } from 'react';
import { getLang, t } from '../../i18n';
import { useForm } from '../form-context';
import {
  type CronPreset,
  cronOf,
  describeCron,
  nextRuns,
  type PresetKind,
  parseCron,
  presetOf,
} from '../model/cron';
import { pathKey } from '../model/paths';
import { FieldShell } from './FieldShell';
import type { FieldProps } from './FieldView';

const KINDS: PresetKind[] = ['everyMinutes', 'hourly', 'daily', 'weekdays', 'weekly', 'monthly', 'custom'];
/** Monday first, as people read a week; cron numbers Sunday 0. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];
const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * A schedule trigger's cron: presets (every N minutes, every hour, every day / weekdays / some days at a
 * time, monthly) that write the expression, the expression itself (editable; the presets follow it), what
 * it means in words, and the next times it fires in the schedule's time zone.
 */
export function SchedulePicker({ model, path, value, required }: FieldProps) {
  const form = useForm();
  const id = useId();
  const key = pathKey(path);
  const cron = typeof value === 'string' ? value : '';
  const detected = cron ? presetOf(cron) : null;
  const [kind, setKind] = useState<PresetKind | ''>(detected?.kind ?? '');
  // Last values of each preset's settings, so switching presets keeps the chosen time.
  const preset: CronPreset | null = detected && detected.kind === kind ? detected : null;
  const time = preset && 'time' in preset ? preset.time : '09:00';

  const write = (next: CronPreset) => {
    setKind(next.kind);
    if (next.kind !== 'custom') form.set(path, cronOf(next));
  };

  const choose = (k: PresetKind | '') => {
    if (k === '' || k === 'custom') return setKind(k);
    const base = { time };
    switch (k) {
      case 'everyMinutes':
        return write({ kind: k, every: 15 });
      case 'hourly':
        return write({ kind: k, minute: 0 });
      case 'weekly':
        return write({ kind: k, days: [1, 3, 5], ...base });
      case 'monthly':
        return write({ kind: k, day: 1, ...base });
      default:
        return write({ kind: k, ...base });
    }
  };

  return (
    <FieldShell model={model} path={path} required={required} htmlFor={id}>
      <div className="sbf-schedule">
        <select
          value={kind}
          onChange={(e) => choose(e.target.value as PresetKind | '')}
          data-testid={`param-${key}-preset`}
          aria-label={t('cron.preset')}
        >
          {kind === '' ? <option value="">{t('cron.choose')}</option> : null}
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`cron.preset.${k}`)}
            </option>
          ))}
        </select>
        <PresetSettings kind={kind} preset={preset} time={time} onChange={write} testId={`param-${key}`} />
        <label className="sbf-inline">
          <span>{t('cron.expression')}</span>
          <input
            id={id}
            className="sbf-mono"
            value={cron}
            placeholder="0 9 * * 1-5"
            spellCheck={false}
            onChange={(e) => {
              form.set(path, e.target.value === '' ? undefined : e.target.value);
              setKind(e.target.value.trim() ? presetOf(e.target.value).kind : '');
            }}
            data-testid={`param-${key}`}
          />
        </label>
        <CronExplanation
          cron={cron}
          timeZone={scheduleZone(form.params, form.flowTimezone)}
          testId={`param-${key}-explain`}
        />
      </div>
    </FieldShell>
  );
}

function scheduleZone(params: Record<string, unknown>, flowZone: string): string {
  return typeof params.timezone === 'string' && params.timezone ? params.timezone : flowZone;
}

function PresetSettings({
  kind,
  preset,
  time,
  onChange,
  testId,
}: {
  kind: PresetKind | '';
  preset: CronPreset | null;
  time: string;
  onChange(p: CronPreset): void;
  testId: string;
}) {
  const timeInput = (make: (time: string) => CronPreset) => (
    <label className="sbf-inline">
      <span>{t('cron.at')}</span>
      <input
        type="time"
        value={time}
        onChange={(e) => e.target.value && onChange(make(e.target.value))}
        data-testid={`${testId}-time`}
      />
    </label>
  );
  switch (kind) {
    case 'everyMinutes': {
      const every = preset?.kind === 'everyMinutes' ? preset.every : 15;
      return (
        <label className="sbf-inline">
          <span>{t('cron.everyN')}</span>
          <input
            type="number"
            min={1}
            max={59}
            value={every}
            onChange={(e) => Number(e.target.value) >= 1 && onChange({ kind, every: Number(e.target.value) })}
            data-testid={`${testId}-every`}
          />
          <span>{t('cron.minutes')}</span>
        </label>
      );
    }
    case 'hourly': {
      const minute = preset?.kind === 'hourly' ? preset.minute : 0;
      return (
        <label className="sbf-inline">
          <span>{t('cron.atMinute')}</span>
          <input
            type="number"
            min={0}
            max={59}
            value={minute}
            onChange={(e) => e.target.value !== '' && onChange({ kind, minute: Number(e.target.value) })}
            data-testid={`${testId}-minute`}
          />
        </label>
      );
    }
    case 'daily':
    case 'weekdays':
      return timeInput((time) => ({ kind, time }));
    case 'weekly': {
      const days = preset?.kind === 'weekly' ? preset.days : [1, 3, 5];
      return (
        <>
          {/* biome-ignore lint/a11y/useSemanticElements: a row of toggle chips; a fieldset would bring its own frame */}
          <div className="sbf-choices" role="group" aria-label={t('cron.days')}>
            {WEEK_ORDER.map((d) => {
              const on = days.includes(d);
              const next = on ? days.filter((x) => x !== d) : [...days, d];
              return (
                <button
                  key={d}
                  type="button"
                  aria-pressed={on}
                  className={`sbf-choice${on ? ' is-on' : ''}`}
                  disabled={on && days.length === 1}
                  onClick={() => onChange({ kind, days: next, time })}
                  data-testid={`${testId}-day-${d}`}
                >
                  {t(`day.short.${DAY_KEYS[d]}`)}
                </button>
              );
            })}
          </div>
          {timeInput((time) => ({ kind, days, time }))}
        </>
      );
    }
    case 'monthly': {
      const day = preset?.kind === 'monthly' ? preset.day : 1;
      return (
        <>
          <label className="sbf-inline">
            <span>{t('cron.onDay')}</span>
            <input
              type="number"
              min={1}
              max={31}
              value={day}
              onChange={(e) =>
                Number(e.target.value) >= 1 && onChange({ kind, day: Number(e.target.value), time })
              }
              data-testid={`${testId}-day`}
            />
          </label>
          {timeInput((time) => ({ kind, day, time }))}
        </>
      );
    }
    default:
      return null;
  }
}

/** What the expression means, and when it fires next (in the schedule's zone). */
function CronExplanation({ cron, timeZone, testId }: { cron: string; timeZone: string; testId: string }) {
  const lang = getLang();
  const reading = useMemo(() => (cron.trim() ? parseCron(cron) : null), [cron]);
  const runs = useMemo(() => {
    if (!reading?.ok) return [];
    try {
      return nextRuns(reading.cron, timeZone, Date.now(), 3);
    } catch {
      return []; // an unknown zone: its own field says so
    }
  }, [reading, timeZone]);
  if (!reading) return null;
  if (!reading.ok) {
    return (
      <p className={reading.kind === 'error' ? 'sbf-warning' : 'sbf-help'} data-testid={testId}>
        {reading.kind === 'error' ? cronError(reading) : t('cron.unsupported')}
      </p>
    );
  }
  const description = describeCron(cron);
  const days = description?.days?.map((d) => t(`day.${DAY_KEYS[d]}`)).join(', ');
  const format = new Intl.DateTimeFormat(lang === 'es' ? 'es-ES' : 'en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (
    <div className="sbf-explain" data-testid={testId}>
      {description ? (
        <strong>{t(description.key, { ...description.vars, ...(days ? { days } : {}) })}</strong>
      ) : null}
      <span className="sbf-muted"> ({timeZone})</span>
      {runs.length > 0 ? (
        <p className="sbf-help">
          {t('cron.next')} {runs.map((r) => format.format(r)).join(' · ')}
        </p>
      ) : null}
    </div>
  );
}

function cronError(reading: { field?: number; message: string }): string {
  if (reading.message === 'fieldCount') return t('cron.error.fieldCount');
  if (reading.message === 'nickname') return t('cron.error.nickname');
  const field = reading.field !== undefined ? t(`cron.field.${reading.field}`) : '';
  return reading.message === 'range' ? t('cron.error.range', { field }) : t('cron.error.syntax', { field });
}
