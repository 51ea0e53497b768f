import { getLang, t } from '../i18n';
import { schemaHelpEs } from '../i18n/fields';
import type { FieldModel } from './model/field-model';

/**
 * Labels of generated fields. Keys get a label from the dictionary (`field.<type>.<path>`, then
 * `field.<key>`), else the key itself made readable; the schema's description is the help text, in
 * Spanish when there is a translation of it.
 */
export function fieldLabel(nodeType: string, model: FieldModel): string {
  return (
    known(`field.${nodeType}.${model.schemaPath}`) ??
    known(`field.${model.key}`) ??
    humanize(model.key || model.schemaPath.split('.').pop() || '')
  );
}

export function fieldHelp(model: FieldModel): string | undefined {
  if (!model.description) return undefined;
  if (getLang() === 'es') return schemaHelpEs[model.description] ?? model.description;
  return model.description;
}

/** An enum value for people: `enum.<key>.<value>`, then `enum.<value>`, then the value made readable. */
export function optionLabel(key: string, value: string): string {
  return known(`enum.${key}.${value}`) ?? known(`enum.${value}`) ?? humanize(value);
}

/** "Button 2", "Section 1": a list item's title from the list's key. */
export function itemLabel(listKey: string, index: number): string {
  return known(`item.${listKey}`, { n: index + 1 }) ?? t('item.generic', { n: index + 1 });
}

/** "Add button", "Add section": the add button of a list. */
export function addLabel(listKey: string): string {
  return known(`add.${listKey}`) ?? t('add.generic');
}

/** `t(key)` when the dictionary has it, else undefined (t shows unknown keys as themselves). */
function known(key: string, vars?: Record<string, string | number>): string | undefined {
  const text = t(key, vars);
  return text === key ? undefined : text;
}

/** `previewUrl` → "Preview url", `button_reply` → "Button reply". */
export function humanize(key: string): string {
  const words = key
    .replace(/[_.-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
