import { z } from 'zod';
import { Flow } from './flow.js';

/** JSON Schema (draft 2020-12) of flow documents as people write them, generated from the zod schema. */
export function flowJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(Flow, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://switchboard.dev/schemas/flow-v1.schema.json',
    title: 'Switchboard flow (schemaVersion 1)',
  };
}
