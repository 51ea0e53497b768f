import { createHash } from 'node:crypto';
import type { openPgPool } from '@switchboard/db';
import type { AppLogger } from '../logger.js';
import type { InboxEvent } from './events.js';

export type InboxListener = (event: InboxEvent) => void;

/**
 * Where the inbox's live events travel: publishers (the routing desk, the dispatcher, the outbox writes)
 * call `publish` after their transaction committed; every stream of this process `subscribe`s. Events
 * are hints for clients to refetch, so a lost one costs a stale screen until the next one, never data.
 */
export interface InboxBus {
  publish(events: InboxEvent | readonly InboxEvent[]): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: InboxListener): () => void;
  /** How many streams of this process listen now. */
  listenerCount(): number;
  close(): Promise<void>;
}

/** Delivers to this process's listeners (one process: SQLite, or tests). */
export class LocalInboxBus implements InboxBus {
  private readonly listeners = new Set<InboxListener>();

  constructor(private readonly logger?: AppLogger) {}

  publish(events: InboxEvent | readonly InboxEvent[]): void {
    const list = Array.isArray(events) ? events : [events as InboxEvent];
    if (!list.length || !this.listeners.size) return;
    // Not on the publisher's stack: a slow or failing stream must not hold up a commit's caller.
    queueMicrotask(() => this.deliver(list));
  }

  deliver(events: readonly InboxEvent[]): void {
    for (const event of events)
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (error) {
          this.logger?.warn({ err: error }, 'an inbox stream listener failed');
        }
      }
  }

  subscribe(listener: InboxListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

type PgPool = ReturnType<typeof openPgPool>;
/** What the bus uses of its LISTEN connection (a `pg` pool client). */
interface PgClient {
  query(text: string): Promise<unknown>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  release(error?: Error): void;
}

/** NOTIFY payloads must stay under 8,000 bytes: events are batched into chunks below this. */
const MAX_PAYLOAD = 7_000;
const RECONNECT_MS = 1_000;

/**
 * The Postgres channel of one schema's inbox events: `switchboard_inbox` plus the schema, so servers on
 * different schemas of one database do not hear each other (hashed when too long for an identifier).
 */
export function inboxChannel(schema: string | undefined): string {
  const name = schema ? `switchboard_inbox_${schema}` : 'switchboard_inbox';
  return Buffer.byteLength(name) <= 63
    ? name
    : `switchboard_inbox_${createHash('sha256').update(schema!).digest('hex').slice(0, 40)}`;
}

/**
 * Several processes on one Postgres: a worker's dispatcher and a web process's streams do not share
 * memory, so events go through `NOTIFY` (sent after the publisher's commit, batched per tick) and every
 * process `LISTEN`s on a dedicated connection, delivering what it hears (its own events included) to
 * its local listeners. A dropped LISTEN connection is reopened; events sent meanwhile are missed (the
 * stream's clients refetch when they reconnect).
 */
export class PgInboxBus implements InboxBus {
  private readonly local: LocalInboxBus;
  private client: PgClient | undefined;
  private pending: InboxEvent[] = [];
  private flushing = false;
  private closed = false;
  private reconnect: NodeJS.Timeout | undefined;

  private constructor(
    private readonly pool: PgPool,
    readonly channel: string,
    private readonly logger: AppLogger,
  ) {
    this.local = new LocalInboxBus(logger);
  }

  static async open(pool: PgPool, channel: string, logger: AppLogger): Promise<PgInboxBus> {
    const bus = new PgInboxBus(pool, channel, logger);
    await bus.listen();
    return bus;
  }

  private async listen(): Promise<void> {
    const client: PgClient = await this.pool.connect();
    client.on('notification', (message) => {
      if (message.channel !== this.channel || !message.payload) return;
      try {
        this.local.deliver(JSON.parse(message.payload) as InboxEvent[]);
      } catch (error) {
        this.logger.warn({ err: error }, 'an inbox notification could not be read');
      }
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'the inbox LISTEN connection broke; reconnecting');
      client.release(error);
      if (this.client === client) this.client = undefined;
      this.scheduleReconnect();
    });
    await client.query(`listen ${quoteIdent(this.channel)}`);
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnect) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = undefined;
      this.listen().catch((error) => {
        this.logger.warn({ err: error }, 'reopening the inbox LISTEN connection failed');
        this.scheduleReconnect();
      });
    }, RECONNECT_MS);
  }

  publish(events: InboxEvent | readonly InboxEvent[]): void {
    if (this.closed) return;
    const list = Array.isArray(events) ? events : [events as InboxEvent];
    if (!list.length) return;
    this.pending.push(...list);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => void this.flush());
    }
  }

  /** Sends what was published since the last flush, in as few NOTIFYs as fit the payload limit. */
  private async flush(): Promise<void> {
    try {
      while (this.pending.length && !this.closed) {
        const batch = this.pending;
        this.pending = [];
        for (const chunk of chunks(batch))
          await this.pool.query('select pg_notify($1, $2)', [this.channel, chunk]);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'inbox events could not be sent to other processes');
    } finally {
      this.flushing = false;
    }
  }

  subscribe(listener: InboxListener): () => void {
    return this.local.subscribe(listener);
  }

  listenerCount(): number {
    return this.local.listenerCount();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    await this.local.close();
    const client = this.client;
    this.client = undefined;
    if (client) {
      await client.query(`unlisten ${quoteIdent(this.channel)}`).catch(() => {});
      client.release();
    }
    await this.pool.end();
  }
}

/** JSON arrays of events, each under the NOTIFY payload limit. */
function chunks(events: readonly InboxEvent[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const event of events) {
    const json = JSON.stringify(event);
    if (current.length && size + json.length + 1 > MAX_PAYLOAD) {
      out.push(`[${current.join(',')}]`);
      current = [];
      size = 2;
    }
    current.push(json);
    size += json.length + 1;
  }
  if (current.length) out.push(`[${current.join(',')}]`);
  return out;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
