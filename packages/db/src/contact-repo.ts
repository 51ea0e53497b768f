import { and, asc, eq, gt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from './connection.js';
import { inConversationsOf } from './conversation-repo.js';
import { contacts } from './schema.js';

export type ContactRow = typeof contacts.$inferSelect;
export interface ConsentRecord {
  optedIn: boolean;
  source: string;
  at: string;
}
export type Consent = Partial<Record<'all' | 'marketing' | 'utility', ConsentRecord>>;

export interface Contact {
  id: string;
  channel: string;
  waId: string;
  name: string | null;
  phone: string | null;
  country: string | null;
  consent: Consent;
  attributes: Record<string, unknown>;
  tags: string[];
  timezone: string | null;
  lastInboundAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Contacts per channel and WhatsApp id, with consent, the 24-hour window and flow-usable data. */
export class ContactRepository {
  // Every inbound message reads and updates its contact: those statements are prepared once.
  private readonly byWaId;
  private readonly insert;
  private readonly upsertInbound;

  constructor(
    private readonly db: Db,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {
    this.byWaId = db
      .select()
      .from(contacts)
      .where(
        and(eq(contacts.channel, sql.placeholder('channel')), eq(contacts.waId, sql.placeholder('waId'))),
      )
      .prepare();
    this.insert = db.$client.prepare(
      `insert into contacts (id, channel, wa_id, phone, country, created_at, updated_at)
       values (@id, @channel, @waId, @phone, @country, @at, @at) on conflict do nothing`,
    );
    this.upsertInbound = db.$client.prepare(
      `insert into contacts (id, channel, wa_id, name, phone, country, last_inbound_at, created_at, updated_at)
       values (@id, @channel, @waId, @name, @phone, @country, @at, @at, @at)
       on conflict (channel, wa_id) do update set
         name = coalesce(excluded.name, contacts.name),
         last_inbound_at = case when contacts.last_inbound_at is null or contacts.last_inbound_at < excluded.last_inbound_at
           then excluded.last_inbound_at else contacts.last_inbound_at end,
         updated_at = excluded.updated_at`,
    );
  }

  get(waId: string, channel = 'default'): Contact | undefined {
    const row = this.byWaId.get({ channel, waId });
    return row ? toContact(row) : undefined;
  }

  /** Creates the contact if new; `derive` fills phone and country for new contacts. */
  ensure(args: {
    waId: string;
    channel?: string;
    at: string;
    derive: (waId: string) => { phone: string; country: string | null };
  }): Contact {
    const channel = args.channel ?? 'default';
    const existing = this.get(args.waId, channel);
    if (existing) return existing;
    const { phone, country } = args.derive(args.waId);
    this.insert.run({ id: this.newId(), channel, waId: args.waId, phone, country, at: args.at });
    return this.get(args.waId, channel)!;
  }

  /**
   * Records an inbound message in one statement: creates the contact if new, keeps the profile name,
   * and moves the 24-hour window's start forward (never back, whatever order messages are processed in).
   */
  recordMessage(args: {
    waId: string;
    channel?: string;
    name: string | null;
    at: string;
    phone: string;
    country: string | null;
  }): void {
    this.upsertInbound.run({
      ...args,
      id: this.newId(),
      channel: args.channel ?? 'default',
      name: args.name || null,
    });
  }

  /** Sets consent for one category unless a later decision is already recorded. */
  setConsent(args: {
    waId: string;
    channel?: string;
    category: keyof Consent;
    record: ConsentRecord;
  }): boolean {
    const contact = this.get(args.waId, args.channel);
    if (!contact) return false;
    const current = contact.consent[args.category];
    if (current && current.at > args.record.at) return false;
    const consent = { ...contact.consent, [args.category]: args.record };
    this.db
      .update(contacts)
      .set({ consent, updatedAt: args.record.at })
      .where(eq(contacts.id, contact.id))
      .run();
    return true;
  }

  /**
   * Changes fields of a contact. `lastInboundAt` is set as given, even backwards (the simulator moves a
   * test contact's last message into the past; inbound messages use `recordMessage`).
   */
  patch(
    waId: string,
    changes: Partial<
      Pick<Contact, 'name' | 'attributes' | 'tags' | 'timezone' | 'consent' | 'country' | 'lastInboundAt'>
    >,
    at: string,
    channel = 'default',
  ): Contact | undefined {
    const contact = this.get(waId, channel);
    if (!contact) return undefined;
    this.db
      .update(contacts)
      .set({ ...changes, updatedAt: at })
      .where(eq(contacts.id, contact.id))
      .run();
    return this.get(waId, channel);
  }

  /**
   * Contacts by WhatsApp id. `channel` keeps one channel's; `exceptChannel` leaves one out (the
   * simulator's test contacts are not customers).
   */
  list(filter: {
    search?: string;
    tag?: string;
    limit?: number;
    after?: string;
    channel?: string;
    exceptChannel?: string;
    /** Only contacts with a conversation in one of these teams (an agent's inbox); empty: none. */
    teams?: readonly string[];
  }): Contact[] {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
    const pattern = filter.search ? `%${filter.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%` : undefined;
    const conditions: Array<SQL | undefined> = [
      pattern ? or(likeEscaped(contacts.name, pattern), likeEscaped(contacts.waId, pattern)) : undefined,
      filter.tag
        ? sql`exists (select 1 from json_each(${contacts.tags}) where value = ${filter.tag})`
        : undefined,
      filter.after ? gt(contacts.waId, filter.after) : undefined,
      filter.channel ? eq(contacts.channel, filter.channel) : undefined,
      filter.exceptChannel ? ne(contacts.channel, filter.exceptChannel) : undefined,
      filter.teams ? inConversationsOf(filter.teams, contacts.channel, contacts.waId) : undefined,
    ];
    return this.db
      .select()
      .from(contacts)
      .where(and(...conditions))
      .orderBy(asc(contacts.waId))
      .limit(limit)
      .all()
      .map(toContact);
  }
}

function likeEscaped(column: typeof contacts.name | typeof contacts.waId, pattern: string): SQL {
  return sql`${column} like ${pattern} escape '\\'`;
}

function toContact(row: ContactRow): Contact {
  return {
    ...row,
    consent: row.consent as Consent,
    attributes: row.attributes as Record<string, unknown>,
    tags: row.tags as string[],
  };
}
