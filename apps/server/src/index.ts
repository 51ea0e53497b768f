export { createApp, createHttpServer } from './app.js';
export { main } from './cli.js';
export { loadConfig } from './config.js';
export { startRuntime } from './runtime.js';
