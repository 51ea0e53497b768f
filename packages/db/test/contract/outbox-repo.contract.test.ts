import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { OutboxRepository } from '../../src/outbox-repo.js';
import { type PgDb, pgDb } from '../../src/pg/connection.js';
import { PgOutboxRepository } from '../../src/pg/outbox-repo.js';
import { asyncOf } from '../../src/ports.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { outboxClaimsContract } from './outbox-claims.contract.js';
import { at, message, outboxRepoContract } from './outbox-repo.contract.js';
import { twoProcesses } from './pg-pair.js';

describe('SQLite', () => {
  const make = async () => asyncOf(new OutboxRepository(openDb({ path: ':memory:' })));
  outboxRepoContract(make);
  outboxClaimsContract(make);
});

describeWithPostgres('Postgres', () => {
  const make = async () => new PgOutboxRepository(pgDb(await migratedPool()));
  outboxRepoContract(make);
  outboxClaimsContract(make);

  it('never hands one message to two processes claiming at the same time', async () => {
    const [a, b] = await twoProcesses((db) => new PgOutboxRepository(db));
    const ids = Array.from({ length: 60 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    for (const [i, id] of ids.entries()) await a.enqueue(message(id, { recipient: `3460000${1000 + i}` }));
    const claims = await Promise.all([
      a.claimDue(at(1), 7),
      b.claimDue(at(1), 7),
      a.claimDue(at(1), 7),
      b.claimDue(at(1), 7),
      a.claimDue(at(1), 50),
      b.claimDue(at(1), 50),
    ]);
    const claimed = claims.flat().map((r) => r.id);
    expect(claimed.sort()).toEqual(ids);
    const rows = await a.list({ limit: 500 });
    expect(rows.every((r) => r.status === 'sending' && r.attempts === 1)).toBe(true);
  });

  it('keeps each recipient’s messages in order while two processes claim and finish sends', async () => {
    const [a, b] = await twoProcesses((db) => new PgOutboxRepository(db));
    const recipients = Array.from({ length: 6 }, (_, r) => `3461000000${r}`);
    const perRecipient = 5;
    for (let n = 0; n < perRecipient; n++)
      for (const recipient of recipients)
        await a.enqueue(message(`${recipient}-${n}`, { recipient, createdAt: at(1 + n) }));
    const order = new Map<string, string[]>(recipients.map((r) => [r, []]));
    let inFlight: string[] = [];
    for (let round = 0; round < 40 && sumOf(order) < 30; round++) {
      // Last round's sends finish while both processes claim.
      const [claims] = await Promise.all([
        Promise.all([a.claimDue(at(50), 3), b.claimDue(at(50), 4), a.claimDue(at(50), 10)]),
        ...inFlight.map((id, i) => (i % 2 ? a : b).markAccepted(id, `wamid.${id}`, at(50))),
      ]);
      inFlight = claims.flat().map((row) => {
        order.get(row.recipient)?.push(row.id);
        return row.id;
      });
      expect(await mostSendingToOneRecipient(a)).toBeLessThanOrEqual(1);
    }
    for (const recipient of recipients)
      expect(order.get(recipient)).toEqual(
        Array.from({ length: perRecipient }, (_, n) => `${recipient}-${n}`),
      );
  });

  it('lets no second claim take an older message put back while the first claim commits', async () => {
    const [a, b] = await twoProcesses((db) => db);
    const repoA = new PgOutboxRepository(a);
    const repoB = new PgOutboxRepository(b);
    await repoA.enqueue(message('old', { createdAt: at(0) }));
    await repoA.markFailed('old', { code: 1, message: 'x' }, at(0));
    await repoA.enqueue(message('new', { createdAt: at(1) }));
    // Process A has taken `new` and is about to commit when `old` is put back by hand and B claims.
    let reachedCommit = () => {};
    const atCommit = new Promise<void>((resolve) => {
      reachedCommit = resolve;
    });
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const claimA = new PgOutboxRepository(
      pausingBeforeCommit(a, async () => {
        reachedCommit();
        await released;
      }),
    ).claimDue(at(5), 10);
    await atCommit;
    await repoB.retryNow('old', at(5));
    const claimB = repoB.claimDue(at(5), 10);
    // B either finishes now (it must find nothing) or waits for A's claim; then A commits.
    await Promise.race([claimB, new Promise((resolve) => setTimeout(resolve, 200))]);
    release();
    expect([...(await claimA), ...(await claimB)].map((r) => r.id)).toEqual(['new']);
    expect(await mostSendingToOneRecipient(repoA)).toBe(1);
  });

  it('reconciles a message once when two processes apply its statuses at the same time', async () => {
    const [a, b] = await twoProcesses((db) => new PgOutboxRepository(db));
    for (let round = 0; round < 10; round++) {
      const id = `o${round}`;
      await a.enqueue(message(id, { recipient: `3462000000${round}` }));
      await a.claimDue(at(1), 10);
      await Promise.all(
        ['sent', 'delivered', 'read'].map((status, i) =>
          (i % 2 ? a : b).applyStatus({
            providerMessageId: `wamid.${round}`,
            status,
            at: at(2 + i),
            error: null,
            bizOpaqueCallbackData: id,
          }),
        ),
      );
      expect(await a.get(id)).toMatchObject({ status: 'read', providerMessageId: `wamid.${round}` });
      const history = (await a.statuses(id)).map((s) => `${s.status}/${s.source}`);
      expect(history.filter((h) => h === 'accepted/reconciled')).toHaveLength(1);
      expect(history).toHaveLength(5);
    }
  });

  it('creates one row when two processes enqueue the same key at the same moment', async () => {
    const [a, b] = await twoProcesses((db) => new PgOutboxRepository(db));
    for (let round = 0; round < 10; round++) {
      const key = `run${round}:send`;
      const results = await Promise.all([
        a.enqueue(message(`a${round}`, { idempotencyKey: key })),
        b.enqueue(message(`b${round}`, { idempotencyKey: key })),
      ]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results[0]?.row.id).toBe(results[1]?.row.id);
      expect(await a.statuses(results[0]?.row.id ?? '')).toHaveLength(1);
    }
  });

  it('only moves status forward when webhooks for one message race', async () => {
    const [a, b] = await twoProcesses((db) => new PgOutboxRepository(db));
    for (let round = 0; round < 10; round++) {
      const id = `o${round}`;
      await a.enqueue(message(id));
      await a.markAccepted(id, `wamid.${round}`, at(1));
      const statuses = ['sent', 'read', 'delivered', 'sent', 'delivered'];
      await Promise.all(
        statuses.map((status, i) =>
          (i % 2 ? a : b).applyStatus({
            providerMessageId: `wamid.${round}`,
            status,
            at: at(2 + i),
            error: null,
          }),
        ),
      );
      expect((await a.get(id))?.status).toBe('read');
      expect(await a.statuses(id)).toHaveLength(2 + statuses.length);
    }
  });

  it('retries a failed message by hand once when two processes do it together', async () => {
    const [a, b] = await twoProcesses((db) => new PgOutboxRepository(db));
    await a.enqueue(message('o1'));
    await a.markFailed('o1', { code: 1, message: 'x' }, at(1));
    const results = await Promise.all([a.retryNow('o1', at(2)), b.retryNow('o1', at(2))]);
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    expect((await a.statuses('o1')).map((s) => s.source)).toEqual(['api', 'api', 'manual']);
  });
});

const sumOf = (lists: Map<string, string[]>) => [...lists.values()].reduce((n, l) => n + l.length, 0);

async function mostSendingToOneRecipient(repo: PgOutboxRepository): Promise<number> {
  const perRecipient = new Map<string, number>();
  for (const row of await repo.list({ status: 'sending', limit: 500 }))
    perRecipient.set(row.recipient, (perRecipient.get(row.recipient) ?? 0) + 1);
  return Math.max(0, ...perRecipient.values());
}

/** The database, but every transaction waits for `pause` after its work, before it commits. */
function pausingBeforeCommit(db: PgDb, pause: () => Promise<void>): PgDb {
  return new Proxy(db, {
    get(target, key, receiver) {
      if (key !== 'transaction') return Reflect.get(target, key, receiver);
      const transaction: PgDb['transaction'] = (work, config) =>
        target.transaction(async (tx) => {
          const result = await work(tx);
          await pause();
          return result;
        }, config);
      return transaction;
    },
  });
}
