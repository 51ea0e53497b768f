export * from './events.js';
export * from './normalize.js';
export * from './webhook-schema.js';
