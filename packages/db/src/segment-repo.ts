import { and, asc, eq, gt, ne, type SQL, sql } from 'drizzle-orm';
import type { Db } from './connection.js';
import type { Contact, ContactRow } from './contact-repo.js';
import { contacts } from './schema.js';
import { segments } from './schema-segments.js';
import { type AttributeCondition, attributePath, daysBefore, type SegmentFilter } from './segment-filter.js';

export type SegmentRow = typeof segments.$inferSelect;
export interface SegmentInput {
  id: string;
  name: string;
  description: string;
  filter: SegmentFilter;
}
export type SegmentPatch = Partial<Omit<SegmentInput, 'id'>>;

/** Saved segments, and the contacts a filter selects (done in SQL, paged by contact id). */
export class SegmentRepository {
  constructor(
    private readonly db: Db,
    /** The simulator's test contacts are not customers: no segment selects them. */
    private readonly simulatorChannel = 'simulator',
  ) {}

  list(): SegmentRow[] {
    return this.db.select().from(segments).orderBy(asc(segments.name)).all();
  }

  get(id: string): SegmentRow | undefined {
    return this.db.select().from(segments).where(eq(segments.id, id)).get();
  }

  byName(name: string): SegmentRow | undefined {
    return this.db.select().from(segments).where(eq(segments.name, name)).get();
  }

  /** Throws on a taken name (the unique index); the server checks `byName` first for a clear error. */
  create(input: SegmentInput, at: string): SegmentRow {
    this.db
      .insert(segments)
      .values({ ...input, createdAt: at, updatedAt: at })
      .run();
    return this.get(input.id)!;
  }

  update(id: string, patch: SegmentPatch, at: string): SegmentRow | undefined {
    this.db
      .update(segments)
      .set({ ...patch, updatedAt: at })
      .where(eq(segments.id, id))
      .run();
    return this.get(id);
  }

  remove(id: string): boolean {
    return this.db.delete(segments).where(eq(segments.id, id)).run().changes > 0;
  }

  /** The contacts `filter` selects, by id, after `after` (a contact id), `limit` at most (≤ 1000). */
  resolve(filter: SegmentFilter, page: { now: string; after?: string; limit?: number }): Contact[] {
    const limit = Math.min(Math.max(page.limit ?? 500, 1), 1000);
    return this.db
      .select()
      .from(contacts)
      .where(
        and(this.where(filter, page.now), page.after !== undefined ? gt(contacts.id, page.after) : undefined),
      )
      .orderBy(asc(contacts.id))
      .limit(limit)
      .all()
      .map(toContact);
  }

  /** How many contacts `filter` selects. */
  count(filter: SegmentFilter, now: string): number {
    const [row] = this.db
      .select({ n: sql<number>`count(*)` })
      .from(contacts)
      .where(this.where(filter, now))
      .all();
    return Number(row?.n ?? 0);
  }

  private where(f: SegmentFilter, now: string): SQL | undefined {
    const tagIn = (values: string[]) =>
      sql`exists (select 1 from json_each(${contacts.tags}) where value in (${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )}))`;
    const hasTag = (value: string) =>
      sql`exists (select 1 from json_each(${contacts.tags}) where value = ${value})`;
    const list = (values: string[]) =>
      sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      );
    const conditions: Array<SQL | undefined> = [
      ne(contacts.channel, this.simulatorChannel),
      f.channel !== undefined ? eq(contacts.channel, f.channel) : undefined,
      ...(f.tags?.all ?? []).map(hasTag),
      f.tags?.any?.length ? tagIn(f.tags.any) : undefined,
      f.tags?.none?.length ? sql`not ${tagIn(f.tags.none)}` : undefined,
      ...(f.attributes ?? []).map(attributeCondition),
      f.country?.in ? sql`${contacts.country} in (${list(f.country.in)})` : undefined,
      f.country?.notIn?.length
        ? sql`(${contacts.country} is null or ${contacts.country} not in (${list(f.country.notIn)}))`
        : undefined,
      f.optedIn ? optedIn(f.optedIn) : undefined,
      f.lastInteraction?.withinDays !== undefined
        ? sql`${contacts.lastInboundAt} >= ${daysBefore(now, f.lastInteraction.withinDays)}`
        : undefined,
      f.lastInteraction?.olderThanDays !== undefined
        ? sql`(${contacts.lastInboundAt} is null or ${contacts.lastInboundAt} < ${daysBefore(now, f.lastInteraction.olderThanDays)})`
        : undefined,
    ];
    // An empty `in` list selects nobody (SQL's `in ()` is not valid everywhere).
    if (f.country?.in && f.country.in.length === 0) return sql`0 = 1`;
    return and(...conditions);
  }
}

/** One attribute condition; booleans read as 'true'/'false' so equals compares as on Postgres. */
function attributeCondition(c: AttributeCondition): SQL {
  const path = attributePath(c.key);
  const type = sql`json_type(${contacts.attributes}, ${path})`;
  const text = sql`(case ${type} when 'true' then 'true' when 'false' then 'false' else cast(json_extract(${contacts.attributes}, ${path}) as text) end)`;
  const number = sql`(case when ${type} in ('integer', 'real') then json_extract(${contacts.attributes}, ${path}) end)`;
  switch (c.op) {
    case 'exists':
      return sql`${type} is not null and ${type} <> 'null'`;
    case 'not_exists':
      return sql`(${type} is null or ${type} = 'null')`;
    case 'equals':
      return sql`${text} = ${String(c.value)}`;
    case 'not_equals':
      return sql`(${text} is null or ${text} <> ${String(c.value)})`;
    case 'gt':
      return sql`${number} > ${c.value}`;
    case 'gte':
      return sql`${number} >= ${c.value}`;
    case 'lt':
      return sql`${number} < ${c.value}`;
    case 'lte':
      return sql`${number} <= ${c.value}`;
  }
}

/** May a template of `category` go out, as packages/whatsapp's policy decides (opt-in, no opt-out). */
function optedIn(category: 'all' | 'marketing' | 'utility'): SQL {
  const flag = (c: string) => sql.raw(`json_extract(${'consent'}, '$.${c}.optedIn')`);
  if (category === 'all') return sql`${flag('all')} = 1`;
  return sql`coalesce(${flag('all')}, 1) = 1 and coalesce(${flag(category)}, 1) = 1
    and (${flag(category)} = 1 or ${flag('all')} = 1)`;
}

function toContact(row: ContactRow): Contact {
  return {
    ...row,
    consent: row.consent as Contact['consent'],
    attributes: row.attributes as Record<string, unknown>,
    tags: row.tags as string[],
  };
}
