export * from './payloads.js';
export * from './sandbox.js';
