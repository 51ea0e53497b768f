export * from './accounts.js';
export * from './crm-sync.js';
export * from './flows.js';
export * from './messaging.js';
export * from './routing.js';
export * from './simulator.js';
export * from './subscriptions.js';
