export { MemoryFlowSource } from './memory-flows.js';
export { MemoryRunStore } from './memory-store.js';
export { runStoreContract } from './store-contract.js';
