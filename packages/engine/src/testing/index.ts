// The in-memory store and flow source (the CLI's `run`, tests). The RunStore conformance suite imports
// vitest, so it is a separate entry, '@switchboard/engine/contract': importing this one needs no test
// dependency (a production install has none).
export { MemoryFlowSource } from './memory-flows.js';
export { MemoryRunStore } from './memory-store.js';
