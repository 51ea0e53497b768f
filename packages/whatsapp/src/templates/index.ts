export * from './client.js';
export * from './definition.js';
export * from './params.js';
export * from './webhook.js';
