export { closeDb, type Db, type OpenOptions, openDb } from './connection.js';
export { EventRepository, type InboundEventInput } from './event-repo.js';
export { type FlowDocument, type FlowRecord, FlowRepository, type FlowVersionRecord } from './flow-repo.js';
export { type OutboxInput, OutboxRepository, type OutboxRow } from './outbox-repo.js';
export { CursorError, listRuns, type RunFilter } from './run-queries.js';
export { SqliteRunStore, StoreError } from './run-store.js';
export * as schema from './schema.js';
