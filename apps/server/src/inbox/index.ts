import { openPgPool } from '@switchboard/db';
import type { Config } from '../config.js';
import type { AppLogger } from '../logger.js';
import { type InboxBus, inboxChannel, LocalInboxBus, PgInboxBus } from './bus.js';

export { type InboxBus, type InboxListener, inboxChannel, LocalInboxBus, PgInboxBus } from './bus.js';
export type { ConversationEvent, InboxEvent, MessageEvent } from './events.js';
export { inboxStreamRoute } from './stream.js';

/**
 * The inbox bus for this storage: on Postgres other processes (workers) publish too, so events go
 * through NOTIFY on `inboxChannel(schema)` (a pool of its own: one LISTEN connection, one to notify);
 * on SQLite one process holds everything and the bus stays in memory.
 */
export async function openInboxBus(config: Config, logger: AppLogger): Promise<InboxBus> {
  const log = logger.child({ component: 'inbox' });
  if (config.database.kind !== 'postgres') return new LocalInboxBus(log);
  const pool = openPgPool({ url: config.database.url, schema: config.database.schema, max: 2 });
  try {
    return await PgInboxBus.open(pool, inboxChannel(config.database.schema), log);
  } catch (error) {
    await pool.end();
    throw error;
  }
}
