// Writes flow.schema.json from the built zod schema, so the file always matches the code.
import { writeFileSync } from 'node:fs';
import { flowJsonSchema } from '../dist/json-schema.js';

writeFileSync(
  new URL('../flow.schema.json', import.meta.url),
  `${JSON.stringify(flowJsonSchema(), null, 2)}\n`,
);
