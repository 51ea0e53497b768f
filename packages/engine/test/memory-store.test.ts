import { MemoryRunStore } from '../src/testing/index.js';
import { runStoreContract } from '../src/testing/store-contract.js';

runStoreContract('in-memory', () => new MemoryRunStore());
