import { and, asc, eq, gt, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from './connection.js';
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
  constructor(
    private readonly db: Db,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  get(waId: string, channel = 'default'): Contact | undefined {
    const row = this.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.channel, channel), eq(contacts.waId, waId)))
      .get();
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
    this.db
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
      .onConflictDoNothing()
      .run();
    return this.get(args.waId, channel)!;
  }

  /** Records an inbound message: the profile name and the start of a new 24-hour window (never moved back). */
  recordInbound(args: { waId: string; channel?: string; name: string | null; at: string }): void {
    this.db
      .update(contacts)
      .set({
        name: args.name ? args.name : sql`${contacts.name}`,
        lastInboundAt: sql`case when ${contacts.lastInboundAt} is null or ${contacts.lastInboundAt} < ${args.at} then ${args.at} else ${contacts.lastInboundAt} end`,
        updatedAt: args.at,
      })
      .where(and(eq(contacts.channel, args.channel ?? 'default'), eq(contacts.waId, args.waId)))
      .run();
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

  patch(
    waId: string,
    changes: Partial<Pick<Contact, 'name' | 'attributes' | 'tags' | 'timezone' | 'consent'>>,
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

  list(filter: { search?: string; tag?: string; limit?: number; after?: string }): Contact[] {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
    const pattern = filter.search ? `%${filter.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%` : undefined;
    const conditions: Array<SQL | undefined> = [
      pattern ? or(likeEscaped(contacts.name, pattern), likeEscaped(contacts.waId, pattern)) : undefined,
      filter.tag
        ? sql`exists (select 1 from json_each(${contacts.tags}) where value = ${filter.tag})`
        : undefined,
      filter.after ? gt(contacts.waId, filter.after) : undefined,
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
