import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { expect, it } from 'vitest';
import { pgDb } from '../../src/pg/connection.js';
import { inConversationsOf } from '../../src/pg/conversation-queries.js';
import { PgConversationRepository } from '../../src/pg/conversation-repo.js';
import { conversation } from './conversation-repo.contract.js';
import { rejection, UNIQUE_VIOLATION } from './team-repo.contract.js';
import { sibling } from './team-repo.pg-contract.js';

// Postgres only: several processes (pools) writing the same conversations at once.

const AT = '2026-05-05T10:00:00.000Z';

/** `newPool`: a migrated schema of its own, with a pool on it (the harness's `migratedPool`). */
export function conversationRepoPostgresContract(newPool: () => Promise<pg.Pool>): void {
  it('opens one conversation when processes race on an idempotency key; the loser leaves no history', async () => {
    const pool = await newPool();
    const [a, b] = [pool, await sibling(pool)].map((p) => new PgConversationRepository(pgDb(p)));
    if (!a || !b) throw new Error('two repositories expected');
    const first = conversation({ idempotencyKey: 'run1:route' });
    const second = conversation({ idempotencyKey: 'run1:route' });
    const results = await Promise.allSettled([a.open(first, AT), b.open(second, AT)]);
    const won = results.findIndex((r) => r.status === 'fulfilled');
    const lost = results.find((r) => r.status === 'rejected');
    expect(won).toBeGreaterThanOrEqual(0);
    expect(await rejection(Promise.reject(lost?.status === 'rejected' ? lost.reason : 'no loser'))).toMatch(
      UNIQUE_VIOLATION,
    );
    const loser = won === 0 ? second : first;
    expect(await a.get(loser.id)).toBeUndefined();
    expect(await a.history(loser.id)).toEqual([]);
    // The same for the step's recorded outcome: the first one stays.
    const outcomes = await Promise.allSettled([
      a.recordRequest('run1:route', first.id, { n: 1 }, AT),
      b.recordRequest('run1:route', second.id, { n: 2 }, AT),
    ]);
    expect(outcomes.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await a.request('run1:route')).toBeDefined();
  });

  it('records every concurrent change of one conversation in its history, in commit order', async () => {
    const pool = await newPool();
    const repos = [pool, await sibling(pool), await sibling(pool)].map(
      (p) => new PgConversationRepository(pgDb(p)),
    );
    const [first] = repos;
    if (!first) throw new Error('repositories expected');
    const c = await first.open(conversation(), AT);
    await Promise.all(
      repos.flatMap((repo, i) =>
        [0, 1, 2].map((j) =>
          repo.change(c.id, { summary: `s${i}${j}` }, { kind: 'note', data: { i, j } }, AT),
        ),
      ),
    );
    const history = await first.history(c.id);
    expect(history.filter((e) => e.kind === 'note')).toHaveLength(9);
    const ids = history.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect((await first.get(c.id))?.summary).toMatch(/^s\d\d$/);
  });

  it('tells other tables’ queries which contacts have a conversation in some teams (inConversationsOf)', async () => {
    const db = pgDb(await newPool());
    const conversations = new PgConversationRepository(db);
    await conversations.open(conversation({ waId: '34600000001', teamId: 'billing' }), AT);
    const hit = async (teams: string[], channel: string, waId: string) => {
      const { rows } = await db.execute<{ hit: boolean }>(
        sql`select ${inConversationsOf(teams, sql`${channel}`, sql`${waId}`)} as hit`,
      );
      return rows[0]?.hit;
    };
    expect(await hit(['sales', 'billing'], 'default', '34600000001')).toBe(true);
    expect(await hit(['sales'], 'default', '34600000001')).toBe(false);
    expect(await hit(['billing'], 'other', '34600000001')).toBe(false);
    expect(await hit([], 'default', '34600000001')).toBe(false);
  });
}
