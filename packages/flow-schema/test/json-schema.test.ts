import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flowJsonSchema } from '../src/json-schema.js';

describe('flow JSON Schema file', () => {
  it('is the one generated from the zod schema (run `pnpm --filter @switchboard/flow-schema build` to refresh)', () => {
    const committed = JSON.parse(readFileSync(new URL('../flow.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(flowJsonSchema());
  });

  it('describes the parts of a flow', () => {
    const schema = flowJsonSchema() as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(
      expect.arrayContaining(['schemaVersion', 'id', 'name', 'nodes', 'edges']),
    );
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['description', 'settings', 'nodes', 'edges']),
    );
  });
});
