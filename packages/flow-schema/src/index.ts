export * from './catalog.js';
export * from './flow.js';
export * from './graph.js';
export * from './ids.js';
export { flowJsonSchema } from './json-schema.js';
export * from './migrate.js';
export * from './problems.js';
export * from './run.js';
export * from './validate.js';
