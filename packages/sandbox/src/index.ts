export * from './run-code.js';
