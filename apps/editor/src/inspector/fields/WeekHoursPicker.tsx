import { type ReactNode, useState } from 'react';
import { t } from '../../i18n';
import { useForm } from '../form-context';
import { pathKey } from '../model/paths';
import {
  copyDay,
  type Day,
  emptyGrid,
  HOURS_PRESETS,
  type Hours,
  hoursProblem,
  scheduleOf,
  WEEK,
  type WeekGrid,
  weekGrid,
} from '../model/week-hours';
import { FieldShell } from './FieldShell';
import type { FieldProps } from './FieldView';
import { ProblemList } from './ProblemList';

/**
 * Business hours as a week: each day open or closed, with one or more opening intervals (split shifts),
 * ready-made weeks, and "copy to the other open days". A schedule the grid cannot show as is (times
 * typed by hand) opens as the plain list instead, so nothing is rewritten behind the user's back.
 */
export function WeekHoursPicker(props: FieldProps & { renderDefault: () => ReactNode }) {
  const { model, path, value, required, renderDefault } = props;
  const form = useForm();
  const key = pathKey(path);
  const grid = weekGrid(value);
  const [asList, setAsList] = useState(false);

  if (!grid || asList) {
    return (
      <div className="sbf-weekhours-fallback">
        {grid ? (
          <button
            type="button"
            className="sbf-link"
            onClick={() => setAsList(false)}
            data-testid={`param-${key}-as-week`}
          >
            {t('hours.asWeek')}
          </button>
        ) : (
          <p className="sbf-help">{t('hours.cannotShow')}</p>
        )}
        {renderDefault()}
      </div>
    );
  }

  const write = (next: WeekGrid) => form.set(path, scheduleOf(next));
  const setDay = (day: Day, hours: Hours[]) => write({ ...grid, [day]: hours });
  const lastOpen = WEEK.map((d) => grid[d]).find((h) => h.length > 0);

  return (
    <FieldShell
      model={model}
      path={path}
      required={required}
      aside={
        <button
          type="button"
          className="sbf-link"
          onClick={() => setAsList(true)}
          data-testid={`param-${key}-as-list`}
        >
          {t('hours.asList')}
        </button>
      }
    >
      <div className="sbf-presets">
        {Object.keys(HOURS_PRESETS).map((name) => (
          <button
            key={name}
            type="button"
            className="sbf-small"
            onClick={() => write(HOURS_PRESETS[name] ?? emptyGrid())}
            data-testid={`param-${key}-preset-${name}`}
          >
            {t(`hours.preset.${name}`)}
          </button>
        ))}
      </div>
      <div className="sbf-week" data-testid={`param-${key}`}>
        {WEEK.map((day) => {
          const hours = grid[day];
          const open = hours.length > 0;
          return (
            <div className={`sbf-day${open ? ' is-open' : ''}`} key={day}>
              <button
                type="button"
                role="switch"
                aria-checked={open}
                className={`sbf-switch sbf-day-switch${open ? ' is-on' : ''}`}
                onClick={() =>
                  setDay(
                    day,
                    open ? [] : (lastOpen ?? [{ from: '09:00', to: '18:00' }]).map((h) => ({ ...h })),
                  )
                }
                data-testid={`param-${key}-${day}`}
              >
                <span className="sbf-switch-knob" />
                <span className="sbf-day-name">{t(`day.${day}`)}</span>
              </button>
              <div className="sbf-day-hours">
                {open ? (
                  hours.map((h, i) => (
                    <HoursRow
                      // biome-ignore lint/suspicious/noArrayIndexKey: intervals are edited in place
                      key={i}
                      hours={h}
                      problem={hoursProblem(h, hours)}
                      testId={`param-${key}-${day}-${i}`}
                      onChange={(next) =>
                        setDay(
                          day,
                          hours.map((x, j) => (j === i ? next : x)),
                        )
                      }
                      onRemove={() =>
                        setDay(
                          day,
                          hours.filter((_, j) => j !== i),
                        )
                      }
                    />
                  ))
                ) : (
                  <span className="sbf-muted">{t('hours.closed')}</span>
                )}
                {open ? (
                  <span className="sbf-day-actions">
                    <button
                      type="button"
                      className="sbf-link"
                      onClick={() => setDay(day, [...hours, nextInterval(hours)])}
                      data-testid={`param-${key}-${day}-add`}
                    >
                      + {t('hours.addInterval')}
                    </button>
                    <button
                      type="button"
                      className="sbf-link"
                      onClick={() =>
                        write(
                          copyDay(
                            grid,
                            day,
                            WEEK.filter((d) => grid[d].length > 0),
                          ),
                        )
                      }
                      data-testid={`param-${key}-${day}-copy`}
                    >
                      {t('hours.copyToOpen')}
                    </button>
                  </span>
                ) : null}
              </div>
            </div>
          );
        })}
      </div>
      {/* The node checks intervals (to after from) on the server; those messages are paths inside the list. */}
      <ProblemList
        problems={form.problemsUnder(key).filter((p) => !form.problemsAt(key).includes(p))}
        testId={`problem-${key}-inside`}
      />
    </FieldShell>
  );
}

function HoursRow({
  hours,
  problem,
  testId,
  onChange,
  onRemove,
}: {
  hours: Hours;
  problem: string | null;
  testId: string;
  onChange(h: Hours): void;
  onRemove(): void;
}) {
  // "24:00" (end of day) is shown as 00:00 in the closing time, the only place where it makes sense.
  const to = hours.to === '24:00' ? '00:00' : hours.to;
  return (
    <div className="sbf-hours">
      <input
        type="time"
        value={hours.from}
        aria-label={t('hours.from')}
        onChange={(e) => e.target.value && onChange({ ...hours, from: e.target.value })}
        data-testid={`${testId}-from`}
      />
      <span>–</span>
      <input
        type="time"
        value={to}
        aria-label={t('hours.to')}
        onChange={(e) =>
          e.target.value && onChange({ ...hours, to: e.target.value === '00:00' ? '24:00' : e.target.value })
        }
        data-testid={`${testId}-to`}
      />
      <button
        type="button"
        className="sbf-icon"
        aria-label={t('form.remove')}
        title={t('form.remove')}
        onClick={onRemove}
        data-testid={`${testId}-remove`}
      >
        ✕
      </button>
      {problem ? <span className="sbf-warning">{t(problem)}</span> : null}
    </div>
  );
}

/** A second interval starts an hour after the last one ends (a lunch break), until 20:00 by default. */
function nextInterval(hours: Hours[]): Hours {
  const last = hours[hours.length - 1];
  if (!last) return { from: '09:00', to: '18:00' };
  const end = Number(last.to.slice(0, 2));
  const from = Math.min(22, end + 1);
  return { from: `${String(from).padStart(2, '0')}:00`, to: from >= 20 ? '24:00' : '20:00' };
}
