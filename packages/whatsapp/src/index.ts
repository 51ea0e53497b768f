export * from './inbound/index.js';
export * from './outbound/index.js';
export * from './policy.js';
export * from './rate-limit.js';
export * from './sandbox/index.js';
export * from './signature.js';
export * from './templates/index.js';
