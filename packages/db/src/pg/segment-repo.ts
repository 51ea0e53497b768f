// Same behaviour as SQLite (../segment-repo.ts): the same filters in Postgres's JSON functions, contacts
// paged by id in byte order as SQLite orders text.
import { and, asc, eq, ne, type SQL, sql } from 'drizzle-orm';
import type { Contact, ContactRow } from '../contact-repo.js';
import type { AsyncOf } from '../ports.js';
import { type AttributeCondition, daysBefore, type SegmentFilter } from '../segment-filter.js';
import type { SegmentInput, SegmentPatch, SegmentRepository, SegmentRow } from '../segment-repo.js';
import type { PgSession } from './connection.js';
import { contacts } from './tables/messaging.js';
import { segments } from './tables/segments.js';

export class PgSegmentRepository implements AsyncOf<SegmentRepository> {
  constructor(
    private readonly db: PgSession,
    private readonly simulatorChannel = 'simulator',
  ) {}

  async list(): Promise<SegmentRow[]> {
    return this.db.select().from(segments).orderBy(sql`${segments.name} collate "C"`);
  }

  async get(id: string): Promise<SegmentRow | undefined> {
    const [row] = await this.db.select().from(segments).where(eq(segments.id, id));
    return row;
  }

  async byName(name: string): Promise<SegmentRow | undefined> {
    const [row] = await this.db.select().from(segments).where(eq(segments.name, name));
    return row;
  }

  async create(input: SegmentInput, at: string): Promise<SegmentRow> {
    const [row] = await this.db
      .insert(segments)
      .values({ ...input, createdAt: at, updatedAt: at })
      .returning();
    return row!;
  }

  async update(id: string, patch: SegmentPatch, at: string): Promise<SegmentRow | undefined> {
    const [row] = await this.db
      .update(segments)
      .set({ ...patch, updatedAt: at })
      .where(eq(segments.id, id))
      .returning();
    return row;
  }

  async remove(id: string): Promise<boolean> {
    const rows = await this.db.delete(segments).where(eq(segments.id, id)).returning({ id: segments.id });
    return rows.length > 0;
  }

  async resolve(
    filter: SegmentFilter,
    page: { now: string; after?: string; limit?: number },
  ): Promise<Contact[]> {
    const limit = Math.min(Math.max(page.limit ?? 500, 1), 1000);
    const idBytes = sql`${contacts.id} collate "C"`;
    const rows = await this.db
      .select()
      .from(contacts)
      .where(
        and(
          this.where(filter, page.now),
          page.after !== undefined ? sql`${idBytes} > ${page.after}` : undefined,
        ),
      )
      .orderBy(asc(idBytes))
      .limit(limit);
    return rows.map(toContact);
  }

  async count(filter: SegmentFilter, now: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)` })
      .from(contacts)
      .where(this.where(filter, now));
    return Number(row?.n ?? 0);
  }

  private where(f: SegmentFilter, now: string): SQL | undefined {
    const tags = sql`json_array_elements_text(${contacts.tags}) as t(value)`;
    const list = (values: string[]) =>
      sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      );
    const tagIn = (values: string[]) =>
      sql`exists (select 1 from ${tags} where t.value in (${list(values)}))`;
    const hasTag = (value: string) => sql`exists (select 1 from ${tags} where t.value = ${value})`;
    if (f.country?.in && f.country.in.length === 0) return sql`false`;
    return and(
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
        ? sql`${contacts.lastInboundAt} >= ${daysBefore(now, f.lastInteraction.withinDays)}::timestamptz`
        : undefined,
      f.lastInteraction?.olderThanDays !== undefined
        ? sql`(${contacts.lastInboundAt} is null or ${contacts.lastInboundAt} < ${daysBefore(now, f.lastInteraction.olderThanDays)}::timestamptz)`
        : undefined,
    );
  }
}

/** One attribute condition; the text of a JSON value (`->>`) is what equals compares, as on SQLite. */
function attributeCondition(c: AttributeCondition): SQL {
  const value = sql`(${contacts.attributes} -> ${c.key})`;
  const type = sql`json_typeof(${value})`;
  const text = sql`(${contacts.attributes} ->> ${c.key})`;
  // `case` keeps the cast from ever seeing a string (an `and` may be evaluated in any order).
  const number = sql`(case when ${type} = 'number' then (${text})::numeric end)`;
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
  const flag = (c: string) => sql.raw(`(consent -> '${c}' ->> 'optedIn')`);
  if (category === 'all') return sql`${flag('all')} = 'true'`;
  return sql`coalesce(${flag('all')}, 'true') = 'true' and coalesce(${flag(category)}, 'true') = 'true'
    and (${flag(category)} = 'true' or ${flag('all')} = 'true')`;
}

function toContact(row: ContactRow): Contact {
  return {
    ...row,
    consent: row.consent as Contact['consent'],
    attributes: row.attributes as Record<string, unknown>,
    tags: row.tags as string[],
  };
}
