/** JSON values: everything that crosses a step boundary is stored, so it must be JSON. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Copies a value through JSON so nothing non-serialisable (functions, Dates, cycles) leaks into run state. */
export function toJson(value: unknown): Json {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as Json;
}
