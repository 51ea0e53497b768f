export * from './client.js';
export * from './errors.js';
export * from './message-schema.js';
export * from './request-body.js';
export * from './transport.js';
