export * from './payloads.js';
export * from './sandbox.js';
export * from './template-seed.js';
export * from './templates.js';
