import type { ComponentType, ReactNode } from 'react';
import { CodeField, DateField, TimeField } from './BasicFormats';
import { CredentialPicker } from './CredentialPicker';
import { DateTimeField } from './DateTimeField';
import type { FieldProps } from './FieldView';
import { SchedulePicker } from './SchedulePicker';
import { TeamPicker } from './TeamPicker';
import { TemplateNamePicker } from './TemplateNamePicker';
import { TemplateParamsField } from './TemplateParamsField';
import { TimeZoneField } from './TimeZoneField';
import { WeekHoursPicker } from './WeekHoursPicker';

/** A widget for a field `format`; `renderDefault` draws the field as its type would (a fallback). */
export type FormatWidget = ComponentType<FieldProps & { renderDefault: () => ReactNode }>;

/**
 * The extension point for special fields. A format comes from the JSON Schema (`format`, or a pattern
 * the model recognises) or from a hint in `model/field-hints.ts` (the credential and team pickers are
 * hinted by field name there). A new widget is one more entry here, or `registerFieldFormat`.
 */
const widgets = new Map<string, FormatWidget>([
  ['cron', SchedulePicker],
  ['weekHours', WeekHoursPicker],
  ['timezone', TimeZoneField],
  ['time', TimeField],
  ['date', DateField],
  ['datetime', DateTimeField],
  ['code', CodeField],
  ['credential', CredentialPicker],
  ['team', TeamPicker],
  ['templateName', TemplateNamePicker],
  ['templateParams', TemplateParamsField],
]);

export function registerFieldFormat(format: string, widget: FormatWidget): void {
  widgets.set(format, widget);
}

export function formatWidget(format: string): FormatWidget | undefined {
  return widgets.get(format);
}
