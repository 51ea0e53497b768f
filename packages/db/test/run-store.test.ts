import type { RunState, RunStore } from '@switchboard/engine';
import { runStoreContract } from '@switchboard/engine/testing';
import { openDb } from '../src/connection.js';
import { SqliteRunStore } from '../src/run-store.js';

runStoreContract('SQLite (:memory:)', () => {
  // Typed as the engine's interface: compilation fails if the shapes drift apart.
  const store: RunStore = new SqliteRunStore<RunState>(openDb({ path: ':memory:' }));
  return store;
});
