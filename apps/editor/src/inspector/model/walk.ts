import type { FieldModel, ObjectModel } from './field-model';
import { variantIndex } from './field-model';
import { isRecord } from './json-schema';
import { type Path, pathKey } from './paths';

/**
 * Every field path the form can show for these params (list items by the values' lengths, a variant's
 * fields by the variant the value is in), so problems can be put next to a field that exists.
 */
export function fieldPaths(model: ObjectModel, params: unknown): Set<string> {
  const out = new Set<string>();
  walkObject(model, params, [], out);
  return out;
}

function walkObject(model: ObjectModel, value: unknown, path: Path, out: Set<string>) {
  const object = isRecord(value) ? value : {};
  for (const field of model.fields) walk(field, object[field.key], [...path, field.key], out);
}

function walk(model: FieldModel, value: unknown, path: Path, out: Set<string>) {
  out.add(pathKey(path));
  switch (model.kind) {
    case 'object':
      walkObject(model, value, path, out);
      return;
    case 'list':
      if (Array.isArray(value)) {
        value.forEach((item, i) => {
          walk(model.item, item, [...path, i], out);
        });
      }
      return;
    case 'tags':
      // Chips have no place of their own for a message (it shows on the field); ordered lists do.
      if (model.ordered && Array.isArray(value)) {
        value.forEach((_, i) => {
          out.add(pathKey([...path, i]));
        });
      }
      return;
    case 'variant': {
      const variant = model.variants[variantIndex(model, value)];
      if (variant && variant.model.kind === 'object') walkObject(variant.model, value, path, out);
      return;
    }
    default:
      return;
  }
}

/** Keys in params the schema does not know (e.g. from an import): shown so they can be removed. */
export function unknownKeys(model: ObjectModel, params: Record<string, unknown>): string[] {
  const known = new Set(model.fields.map((f) => f.key));
  return Object.keys(params).filter((k) => !known.has(k));
}
