import { MemoryRunStore, runStoreContract } from '../src/testing/index.js';

runStoreContract('in-memory', () => new MemoryRunStore());
