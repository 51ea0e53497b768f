import type { Json } from '@switchboard/flow-schema';

export type { Json };

/** Copies a value through JSON so nothing non-serialisable (functions, Dates, cycles) leaks into run state. */
export function toJson(value: unknown): Json {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as Json;
}
