// Same behaviour as SQLite; read-modify-write changes (consent) lock the contact's row, and search folds
// ASCII case only, as SQLite's `like` does.
import { and, eq, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Consent, ConsentRecord, Contact, ContactRepository, ContactRow } from '../contact-repo.js';
import type { AsyncOf } from '../ports.js';
import type { PgSession } from './connection.js';
import { inConversationsOf } from './conversation-queries.js';
import { contacts } from './tables/messaging.js';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** Contacts per channel and WhatsApp id, with consent, the 24-hour window and flow-usable data. */
export class PgContactRepository implements AsyncOf<ContactRepository> {
  constructor(
    private readonly db: PgSession,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  async get(waId: string, channel = 'default'): Promise<Contact | undefined> {
    const [row] = await this.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.channel, channel), eq(contacts.waId, waId)));
    return row ? toContact(row) : undefined;
  }

  /** Creates the contact if new (a concurrent creator's row wins, both get it); `derive` fills new ones. */
  async ensure(args: {
    waId: string;
    channel?: string;
    at: string;
    derive: (waId: string) => { phone: string; country: string | null };
  }): Promise<Contact> {
    const channel = args.channel ?? 'default';
    const existing = await this.get(args.waId, channel);
    if (existing) return existing;
    const { phone, country } = args.derive(args.waId);
    await this.db
      .insert(contacts)
      .values({
        id: this.newId(),
        channel,
        waId: args.waId,
        phone,
        country,
        createdAt: args.at,
        updatedAt: args.at,
      })
      .onConflictDoNothing();
    const created = await this.get(args.waId, channel);
    if (!created) throw new Error(`contact ${channel}/${args.waId} missing right after its insert`);
    return created;
  }

  /**
   * Records an inbound message in one statement (atomic under concurrency): creates the contact if new,
   * keeps the profile name, and moves the 24-hour window's start forward, never back.
   */
  async recordMessage(args: {
    waId: string;
    channel?: string;
    name: string | null;
    at: string;
    phone: string;
    country: string | null;
  }): Promise<void> {
    const channel = args.channel ?? 'default';
    const name = args.name || null;
    await this.db.execute(sql`
      insert into contacts (id, channel, wa_id, name, phone, country, last_inbound_at, created_at, updated_at)
      values (${this.newId()}, ${channel}, ${args.waId}, ${name}, ${args.phone}, ${args.country},
        ${args.at}, ${args.at}, ${args.at})
      on conflict (channel, wa_id) do update set
        name = coalesce(excluded.name, contacts.name),
        last_inbound_at = greatest(contacts.last_inbound_at, excluded.last_inbound_at),
        updated_at = excluded.updated_at`);
  }

  /** Sets consent for one category unless a later decision is already recorded (row locked meanwhile). */
  async setConsent(args: {
    waId: string;
    channel?: string;
    category: keyof Consent;
    record: ConsentRecord;
  }): Promise<boolean> {
    const channel = args.channel ?? 'default';
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(contacts)
        .where(and(eq(contacts.channel, channel), eq(contacts.waId, args.waId)))
        .for('update');
      if (!row) return false;
      const current = (row.consent as Consent)[args.category];
      if (current && current.at > args.record.at) return false;
      const consent = { ...(row.consent as Consent), [args.category]: args.record };
      await tx.update(contacts).set({ consent, updatedAt: args.record.at }).where(eq(contacts.id, row.id));
      return true;
    });
  }

  /** Changes fields of a contact; `lastInboundAt` is set as given, even backwards (the simulator's). */
  async patch(
    waId: string,
    changes: Partial<
      Pick<Contact, 'name' | 'attributes' | 'tags' | 'timezone' | 'consent' | 'country' | 'lastInboundAt'>
    >,
    at: string,
    channel = 'default',
  ): Promise<Contact | undefined> {
    const [row] = await this.db
      .update(contacts)
      .set({ ...changes, updatedAt: at })
      .where(and(eq(contacts.channel, channel), eq(contacts.waId, waId)))
      .returning();
    return row ? toContact(row) : undefined;
  }

  /** Contacts by WhatsApp id (byte order, as SQLite); see the SQLite version for the filters. */
  async list(filter: {
    search?: string;
    tag?: string;
    limit?: number;
    after?: string;
    channel?: string;
    exceptChannel?: string;
    teams?: readonly string[];
  }): Promise<Contact[]> {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
    const pattern = filter.search
      ? `%${asciiLower(filter.search).replace(/[%_\\]/g, (c) => `\\${c}`)}%`
      : undefined;
    const waIdBytes = sql`${contacts.waId} collate "C"`;
    const conditions: Array<SQL | undefined> = [
      pattern ? or(likeAsciiCi(contacts.name, pattern), likeAsciiCi(contacts.waId, pattern)) : undefined,
      filter.tag
        ? sql`exists (select 1 from json_array_elements_text(${contacts.tags}) as t(value) where t.value = ${filter.tag})`
        : undefined,
      filter.after ? sql`${waIdBytes} > ${filter.after}` : undefined,
      filter.channel ? eq(contacts.channel, filter.channel) : undefined,
      filter.exceptChannel ? ne(contacts.channel, filter.exceptChannel) : undefined,
      filter.teams ? inConversationsOf(filter.teams, contacts.channel, contacts.waId) : undefined,
    ];
    const rows = await this.db
      .select()
      .from(contacts)
      .where(and(...conditions))
      .orderBy(waIdBytes)
      .limit(limit);
    return rows.map(toContact);
  }
}

function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** `like` folding ASCII letters only, as SQLite's (ilike would also fold é/É). */
function likeAsciiCi(column: typeof contacts.name | typeof contacts.waId, pattern: string): SQL {
  return sql`translate(${column}, ${UPPER}, ${LOWER}) like ${pattern} escape '\\'`;
}

function toContact(row: ContactRow): Contact {
  return {
    ...row,
    consent: row.consent as Consent,
    attributes: row.attributes as Record<string, unknown>,
    tags: row.tags as string[],
  };
}
