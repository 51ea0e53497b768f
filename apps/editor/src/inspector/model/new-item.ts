import type { FieldHint } from './field-hints';
import type { FieldModel, ObjectModel } from './field-model';
import { isRecord } from './json-schema';

/**
 * A new item for a list of objects: required ids filled with one not used anywhere in params
 * (`button_2`; they become output ports, so they must differ), required nested lists with their minimum
 * number of items (a list section starts with one row). Titles stay empty for the user to write.
 */
export function newItem(
  model: ObjectModel,
  hint: FieldHint,
  listKey: string,
  params: unknown,
): Record<string, unknown> {
  const used = new Set<string>();
  collectStrings(params, used);
  return fill(model, hint, listKey, used);
}

function fill(
  model: ObjectModel,
  hint: FieldHint,
  listKey: string,
  used: Set<string>,
): Record<string, unknown> {
  const item: Record<string, unknown> = { ...hint.newItem };
  for (const field of model.fields) {
    if (item[field.key] !== undefined || !field.required) continue;
    const value = initialValue(field, hint, listKey, used);
    if (value !== undefined) item[field.key] = value;
  }
  return item;
}

function initialValue(field: FieldModel, hint: FieldHint, listKey: string, used: Set<string>): unknown {
  if (field.kind === 'text' && (field.key === 'id' || field.key === 'port')) {
    return freshId(hint.idPrefix ?? singular(listKey), used);
  }
  if (field.kind === 'list' && (field.minItems ?? 0) > 0) {
    return Array.from({ length: field.minItems ?? 1 }, () => fill(field.item, field.hint, field.key, used));
  }
  return undefined;
}

function freshId(prefix: string, used: Set<string>): string {
  for (let n = 1; ; n++) {
    const id = `${prefix}_${n}`;
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

/** `buttons` → `button`, `rows` → `row`, `cases` → `case`, `assignments` → `assignment`. */
export function singular(word: string): string {
  if (/ses$/.test(word)) return word.slice(0, -1);
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/s$/.test(word)) return word.slice(0, -1);
  return word || 'item';
}

function collectStrings(value: unknown, out: Set<string>) {
  if (typeof value === 'string') out.add(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (isRecord(value)) for (const v of Object.values(value)) collectStrings(v, out);
}
