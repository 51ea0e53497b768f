import { useId, useMemo } from 'react';
import { t } from '../../i18n';
import { useForm } from '../form-context';
import { pathKey } from '../model/paths';
import { allTimeZones } from '../model/zoned-time';
import { FieldShell } from './FieldShell';
import type { FieldProps } from './FieldView';

/** Zones grouped by region ("Europe", "America"…), computed once: the list does not change. */
let grouped: Array<[string, string[]]> | null = null;
function zonesByRegion(): Array<[string, string[]]> {
  if (grouped) return grouped;
  const groups = new Map<string, string[]>();
  for (const zone of allTimeZones()) {
    const region = zone.includes('/') ? zone.slice(0, zone.indexOf('/')) : 'UTC';
    groups.set(region, [...(groups.get(region) ?? []), zone]);
  }
  grouped = [...groups.entries()];
  return grouped;
}

/**
 * An IANA time zone from the browser's list (`Intl.supportedValuesOf`). Empty means the flow's zone,
 * which is named; the flow's and the browser's zones are offered first. A stored zone the browser does
 * not list stays selectable, so it is not lost.
 */
export function TimeZoneField({ model, path, value, required }: FieldProps) {
  const form = useForm();
  const id = useId();
  const key = pathKey(path);
  const current = typeof value === 'string' ? value : '';
  const regions = useMemo(zonesByRegion, []);
  const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const suggested = [...new Set([form.flowTimezone, browser].filter(Boolean))];
  const listed = current === '' || regions.some(([, zones]) => zones.includes(current));
  return (
    <FieldShell model={model} path={path} required={required} htmlFor={id}>
      <select
        id={id}
        value={current}
        onChange={(e) => form.set(path, e.target.value === '' ? undefined : e.target.value)}
        aria-invalid={form.problemsAt(key).length > 0 || undefined}
        data-testid={`param-${key}`}
      >
        {required ? (
          <option value="">{t('form.choose')}</option>
        ) : (
          <option value="">{t('tz.flowDefault', { zone: form.flowTimezone })}</option>
        )}
        {listed ? null : <option value={current}>{current}</option>}
        <optgroup label={t('tz.suggested')}>
          {suggested.map((zone) => (
            <option key={`s-${zone}`} value={zone}>
              {zone.replace(/_/g, ' ')}
            </option>
          ))}
        </optgroup>
        {regions.map(([region, zones]) => (
          <optgroup key={region} label={region}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </FieldShell>
  );
}
