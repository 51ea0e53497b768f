import { type FieldHint, hintFor } from './field-hints';
import { asSchema, isRecord, type JsonSchema, jsonTypeOf, typeOf } from './json-schema';

/**
 * A node's params schema turned into the fields of its form. The model describes the schema, not a
 * value: list items share one item model, and the form walks values and model together.
 */
interface FieldBase {
  /** Property name; '' for list items and the root. */
  key: string;
  /** Path in params without list indexes (`sections.rows.title`): for hints and labels. */
  schemaPath: string;
  description?: string;
  required: boolean;
  default?: unknown;
  /** Widget override (see `FieldHint.format`); from the schema's `format` or a hint. */
  format?: string;
  hint: FieldHint;
}

export interface TextModel extends FieldBase {
  kind: 'text';
  multiline: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

export interface NumberModel extends FieldBase {
  kind: 'number';
  integer: boolean;
  min?: number;
  max?: number;
  /** The bound itself is not allowed (`exclusiveMinimum: 0` → more than 0). */
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
}

export interface BooleanModel extends FieldBase {
  kind: 'boolean';
}

export interface EnumModel extends FieldBase {
  kind: 'enum';
  options: readonly string[];
}

export interface MultiEnumModel extends FieldBase {
  kind: 'multiEnum';
  options: readonly string[];
  minItems?: number;
  maxItems?: number;
}

/** Arrays of scalars: chips (`keywords`), or an ordered list when hinted (`bodyParams`). */
export interface TagsModel extends FieldBase {
  kind: 'tags';
  item: FieldModel;
  ordered: boolean;
  minItems?: number;
  maxItems?: number;
}

/** Arrays of objects: repeatable cards. */
export interface ListModel extends FieldBase {
  kind: 'list';
  item: ObjectModel;
  minItems?: number;
  maxItems?: number;
}

/** Objects with free keys (`payload`, `input`): key / value rows. */
export interface RecordModel extends FieldBase {
  kind: 'record';
  value: FieldModel;
}

export interface ObjectModel extends FieldBase {
  kind: 'object';
  fields: FieldModel[];
}

export interface Variant {
  /** JSON type a value of this variant has. */
  type: string;
  /** For discriminated unions: the property and constant that pick this variant. */
  discriminator?: { key: string; value: string };
  /** What the variant switch shows: the discriminator's value, else the type. */
  label: string;
  model: FieldModel;
}

/** anyOf / oneOf whose branches are edited differently: a variant switch over the branch forms. */
export interface VariantModel extends FieldBase {
  kind: 'variant';
  variants: Variant[];
}

/** No usable type (`z.unknown()`): text, or JSON for anything that is not a string. */
export interface AnyModel extends FieldBase {
  kind: 'any';
}

export type FieldModel =
  | TextModel
  | NumberModel
  | BooleanModel
  | EnumModel
  | MultiEnumModel
  | TagsModel
  | ListModel
  | RecordModel
  | ObjectModel
  | VariantModel
  | AnyModel;

const TIME_PATTERN = '^([01]\\d|2[0-3]):[0-5]\\d$';
const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
/** Text this long is a message body, not a name: it gets a text area. */
const MULTILINE_FROM = 500;

/** The form model of a node type's params (`paramsSchema` from `GET /api/node-types`). */
export function paramsModel(paramsSchema: unknown, nodeType: string): ObjectModel {
  const schema = asSchema(paramsSchema);
  const model = fieldModel(schema, { nodeType, key: '', schemaPath: '', required: true });
  if (model.kind === 'object') return model;
  return {
    ...base(schema, { nodeType, key: '', schemaPath: '', required: true }),
    kind: 'object',
    fields: [],
  };
}

interface Where {
  nodeType: string;
  key: string;
  schemaPath: string;
  required: boolean;
}

function base(schema: JsonSchema, where: Where): FieldBase {
  const hint = hintFor(where.nodeType, where.schemaPath, where.key);
  const format = hint.format ?? formatOfSchema(schema);
  return {
    key: where.key,
    schemaPath: where.schemaPath,
    required: where.required,
    hint,
    ...(schema.description ? { description: schema.description } : {}),
    ...(schema.default !== undefined ? { default: schema.default } : {}),
    ...(format ? { format } : {}),
  };
}

/** Widgets the schema itself implies: times and dates written as patterns, ISO date-times. */
function formatOfSchema(schema: JsonSchema): string | undefined {
  if (schema.format === 'date-time') return 'datetime';
  if (schema.pattern === TIME_PATTERN) return 'time';
  if (schema.pattern === DATE_PATTERN || schema.format === 'date') return 'date';
  return schema.format;
}

export function fieldModel(schema: JsonSchema, where: Where): FieldModel {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches && branches.length > 0) return unionModel(schema, branches, where);
  const b = base(schema, where);
  const type = typeOf(schema);
  if (schema.enum && schema.enum.length > 0) {
    return { ...b, kind: 'enum', options: schema.enum.map(String) };
  }
  switch (type) {
    case 'string':
      return {
        ...b,
        kind: 'text',
        multiline: b.hint.multiline ?? (schema.maxLength ?? 0) >= MULTILINE_FROM,
        ...pick(schema, ['minLength', 'maxLength', 'pattern']),
      };
    case 'number':
    case 'integer':
      return numberModel(schema, b, type === 'integer');
    case 'boolean':
      return { ...b, kind: 'boolean' };
    case 'array':
      return arrayModel(schema, b, where);
    case 'object':
      return objectModel(schema, b, where);
    default:
      return { ...b, kind: 'any' };
  }
}

function numberModel(schema: JsonSchema, b: FieldBase, integer: boolean): NumberModel {
  const min = schema.minimum ?? schema.exclusiveMinimum;
  const max = schema.maximum ?? schema.exclusiveMaximum;
  return {
    ...b,
    kind: 'number',
    integer,
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    ...(schema.minimum === undefined && schema.exclusiveMinimum !== undefined ? { exclusiveMin: true } : {}),
    ...(schema.maximum === undefined && schema.exclusiveMaximum !== undefined ? { exclusiveMax: true } : {}),
  };
}

function arrayModel(schema: JsonSchema, b: FieldBase, where: Where): FieldModel {
  const items = asSchema(schema.items);
  const counts = pick(schema, ['minItems', 'maxItems']);
  const itemWhere = { ...where, key: '', required: true };
  if (items.enum && items.enum.length > 0) {
    return { ...b, kind: 'multiEnum', options: items.enum.map(String), ...counts };
  }
  const item = fieldModel(items, itemWhere);
  if (item.kind === 'object') return { ...b, kind: 'list', item, ...counts };
  return { ...b, kind: 'tags', item, ordered: b.hint.ordered ?? false, ...counts };
}

function objectModel(schema: JsonSchema, b: FieldBase, where: Where): FieldModel {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const keys = Object.keys(properties);
  if (keys.length === 0 && schema.additionalProperties !== false) {
    const valueSchema = isRecord(schema.additionalProperties) ? asSchema(schema.additionalProperties) : {};
    return { ...b, kind: 'record', value: fieldModel(valueSchema, { ...where, key: '', required: true }) };
  }
  const fields = keys.map((key) =>
    fieldModel(asSchema(properties[key]), {
      nodeType: where.nodeType,
      key,
      schemaPath: where.schemaPath ? `${where.schemaPath}.${key}` : key,
      required: required.has(key),
    }),
  );
  return { ...b, kind: 'object', fields };
}

function unionModel(schema: JsonSchema, branches: JsonSchema[], where: Where): FieldModel {
  // The outer schema's description and default apply to the union as a whole.
  const outer = { description: schema.description, default: schema.default };
  const strings = branches.every((s) => typeOf(s) === 'string' && !s.enum);
  if (strings) {
    // e.g. "HH:MM" or the constant "24:00": one text field, with the first branch's widget.
    const first = branches[0]!;
    const merged: JsonSchema = { ...first, ...withoutUndefined(outer), pattern: undefined };
    const model = fieldModel(merged, where);
    const format = formatOfSchema(first);
    return format && !model.format ? { ...model, format } : model;
  }
  const discriminator = discriminatorOf(branches);
  const variants = branches.map((branch, i): Variant => {
    const model = fieldModel({ ...branch, description: undefined }, { ...where, required: true });
    const type = typeOf(branch) ?? 'any';
    const value = discriminator ? String(asSchema(branch.properties?.[discriminator]).const) : undefined;
    return {
      type,
      label: value ?? (type === 'any' ? `#${i + 1}` : type),
      model,
      ...(discriminator && value !== undefined ? { discriminator: { key: discriminator, value } } : {}),
    };
  });
  return { ...base({ ...schema, ...withoutUndefined(outer) }, where), kind: 'variant', variants };
}

/** The property every object branch pins with a `const` (zod's discriminated unions), if any. */
function discriminatorOf(branches: JsonSchema[]): string | undefined {
  const first = branches[0]?.properties;
  if (!first || branches.some((b) => typeOf(b) !== 'object')) return undefined;
  return Object.keys(first).find((key) =>
    branches.every((b) => {
      const c = asSchema(b.properties?.[key]).const;
      return typeof c === 'string';
    }),
  );
}

/** The variant a value belongs to: by discriminator, else by JSON type; the first when none fits. */
export function variantIndex(model: VariantModel, value: unknown): number {
  if (value === undefined) return 0;
  const type = jsonTypeOf(value);
  if (isRecord(value)) {
    const byTag = model.variants.findIndex(
      (v) => v.discriminator && value[v.discriminator.key] === v.discriminator.value,
    );
    if (byTag >= 0) return byTag;
  }
  const byType = model.variants.findIndex(
    (v) => v.type === type || (v.type === 'number' && type === 'integer'),
  );
  return Math.max(0, byType);
}

/** The value a field starts from when switched to a variant: keeps what still fits. */
export function switchVariant(model: VariantModel, value: unknown, to: number): unknown {
  const variant = model.variants[to];
  if (!variant) return value;
  if (variant.discriminator) {
    const kept = isRecord(value) ? value : {};
    return { ...kept, [variant.discriminator.key]: variant.discriminator.value };
  }
  switch (variant.type) {
    case 'string':
      return value === undefined || value === null ? '' : typeof value === 'object' ? '' : String(value);
    case 'number':
    case 'integer': {
      const n = Number(value);
      return Number.isFinite(n) ? n : 0;
    }
    case 'boolean':
      return value === true || value === 'true';
    case 'object':
      return {};
    case 'array':
      return [];
    default:
      return value;
  }
}

function pick<K extends keyof JsonSchema>(schema: JsonSchema, keys: readonly K[]): Pick<JsonSchema, K> {
  const out: Partial<JsonSchema> = {};
  for (const k of keys) if (schema[k] !== undefined) out[k] = schema[k];
  return out as Pick<JsonSchema, K>;
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
