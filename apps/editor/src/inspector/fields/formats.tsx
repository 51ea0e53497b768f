import type { ComponentType, ReactNode } from 'react';
import { CodeField, DateField, TimeField } from './BasicFormats';
import { DateTimeField } from './DateTimeField';
import type { FieldProps } from './FieldView';
import { SchedulePicker } from './SchedulePicker';
import { TimeZoneField } from './TimeZoneField';
import { WeekHoursPicker } from './WeekHoursPicker';

/** A widget for a field `format`; `renderDefault` draws the field as its type would (a fallback). */
export type FormatWidget = ComponentType<FieldProps & { renderDefault: () => ReactNode }>;

/**
 * The extension point for special fields. A format comes from the JSON Schema (`format`, or a pattern
 * the model recognises) or from a hint in `model/field-hints.ts`. A credential picker, once there is a
 * credentials API, is one more entry: `registerFieldFormat('credential', CredentialPicker)` and a hint
 * (or schema `format: "credential"`) on the fields that name a credential.
 */
const widgets = new Map<string, FormatWidget>([
  ['cron', SchedulePicker],
  ['weekHours', WeekHoursPicker],
  ['timezone', TimeZoneField],
  ['time', TimeField],
  ['date', DateField],
  ['datetime', DateTimeField],
  ['code', CodeField],
]);

export function registerFieldFormat(format: string, widget: FormatWidget): void {
  widgets.set(format, widget);
}

export function formatWidget(format: string): FormatWidget | undefined {
  return widgets.get(format);
}
