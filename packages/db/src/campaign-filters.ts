import { and, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import { CursorError } from './run-queries.js';

// The list and recipient filters both campaign repositories share (./campaign-repo.ts,
// ./pg/campaign-repo.ts): same conditions, same cursors, so a cursor from either database reads on
// the other.

// biome-ignore lint/suspicious/noExplicitAny: the Postgres tables have the same columns in their dialect
type Cols = any;

/** One page of the campaign list, newest first, optionally of one status. */
export interface CampaignListFilter {
  status?: string;
  /** Opaque: the previous page's `nextCursor`. */
  cursor?: string;
  /** 1 to 500; 50 when not given. */
  limit?: number;
}

export interface CampaignListPage<Row> {
  items: Row[];
  nextCursor: string | null;
}

/** A page of a campaign's recipients by WhatsApp id (see `recipientFilterConditions`). */
export interface RecipientPage<State extends string = string> {
  state?: State;
  /** A skip reason (`opted_out`…), also matching messages the sender refused for it. */
  reason?: string;
  /** The error code of failed messages (`131026`); `unknown` for a failure without one. */
  code?: string;
  /** The last WhatsApp id of the previous page. */
  after?: string;
  limit: number;
}

export const listLimit = (limit?: number) => Math.min(Math.max(limit ?? 50, 1), 500);

/** `createdAt|id` of a page's last row, base64url. */
export function encodeCampaignCursor(row: { createdAt: string; id: string }): string {
  return Buffer.from(`${row.createdAt}|${row.id}`).toString('base64url');
}

export function decodeCampaignCursor(cursor: string): { createdAt: string; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString();
  const bar = text.indexOf('|');
  const createdAt = text.slice(0, bar);
  const id = text.slice(bar + 1);
  // Checked here, not left to the database: Postgres would fail on a time that does not parse.
  if (bar < 0 || !id || !/^\d{4}-\d\d-\d\dT/.test(createdAt) || Number.isNaN(Date.parse(createdAt)))
    throw new CursorError('cursor is not one this server returned');
  return { createdAt, id };
}

/**
 * Campaigns of `filter.status` after the cursor (newest first). `id` is the id column as the database
 * compares it byte by byte (Postgres: `collate "C"`), the order SQLite uses.
 */
export function campaignListCondition(c: Cols, id: SQL | Cols, filter: CampaignListFilter): SQL | undefined {
  const after = filter.cursor ? decodeCampaignCursor(filter.cursor) : undefined;
  return and(
    filter.status ? eq(c.status, filter.status) : undefined,
    after
      ? or(lt(c.createdAt, after.createdAt), and(eq(c.createdAt, after.createdAt), sql`${id} < ${after.id}`))
      : undefined,
  );
}

/** The page out of `limit + 1` rows read: the extra one only says there is a next page. */
export function campaignListPage<Row extends { createdAt: string; id: string }>(
  rows: Row[],
  limit: number,
): CampaignListPage<Row> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCampaignCursor(last) : null };
}

/**
 * The reason and error-code filters of a recipient read with its outbox row joined. `errorCode` is the
 * dialect's text of `outbox.last_error.code` (null when there is none). A refused message's reason is
 * its error code (`refused` without one), as `/results` reports it; a failure without a code is
 * `unknown`, as the failures by code are grouped.
 */
export function recipientFilterConditions(
  r: Cols,
  o: Cols,
  page: Pick<RecipientPage, 'reason' | 'code'>,
  errorCode: SQL,
): SQL | undefined {
  return and(
    page.reason !== undefined
      ? or(
          eq(r.reason, page.reason),
          and(eq(o.status, 'refused'), sql`coalesce(${errorCode}, 'refused') = ${page.reason}`),
        )
      : undefined,
    page.code !== undefined
      ? and(eq(o.status, 'failed'), sql`coalesce(${errorCode}, 'unknown') = ${page.code}`)
      : undefined,
  );
}
