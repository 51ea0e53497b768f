import { expect, it } from 'vitest';
import type { OutboxInput, OutboxRepository } from '../../src/outbox-repo.js';
import type { AsyncOf } from '../../src/ports.js';

type Outbox = AsyncOf<OutboxRepository>;

export const at = (s: number) => `2026-01-01T00:00:${String(s).padStart(2, '0')}.000Z`;
export const message = (id: string, over: Partial<OutboxInput> = {}): OutboxInput => ({
  id,
  idempotencyKey: `key:${id}`,
  channel: 'default',
  recipient: '34600000001',
  kind: 'text',
  payload: { text: id },
  createdAt: at(0),
  ...over,
});

export function outboxRepoContract(make: () => Promise<Outbox>): void {
  it('moves delivery status only forward, keeping every status in the history', async () => {
    const repo = await make();
    await repo.enqueue(message('o1'));
    expect((await repo.claimDue(at(1), 10)).map((r) => r.id)).toEqual(['o1']);
    await repo.markAccepted('o1', 'wamid.A', at(2));
    await repo.applyStatus({ providerMessageId: 'wamid.A', status: 'read', at: at(5), error: null });
    await repo.applyStatus({ providerMessageId: 'wamid.A', status: 'delivered', at: at(4), error: null });
    await repo.applyStatus({ providerMessageId: 'wamid.A', status: 'sent', at: at(3), error: null });
    expect(await repo.get('o1')).toMatchObject({ status: 'read', updatedAt: at(5) });
    expect((await repo.statuses('o1')).map((s) => `${s.status}/${s.source}@${s.at}`)).toEqual([
      `queued/api@${at(0)}`,
      `accepted/api@${at(2)}`,
      `read/webhook@${at(5)}`,
      `delivered/webhook@${at(4)}`,
      `sent/webhook@${at(3)}`,
    ]);
    const failure = { code: 131026, message: 'Message undeliverable' };
    await repo.enqueue(message('o2', { recipient: '34600000002' }));
    await repo.claimDue(at(1), 10);
    await repo.markAccepted('o2', 'wamid.B', at(2));
    const failed = await repo.applyStatus({
      providerMessageId: 'wamid.B',
      status: 'failed',
      at: at(3),
      error: failure,
    });
    expect(failed).toMatchObject({ id: 'o2', status: 'failed', lastError: failure });
    expect((await repo.statuses('o2')).at(-1)).toMatchObject({ status: 'failed', error: failure });
    // Multi-device: a later delivery overrides the failure; a late failure after delivery changes nothing.
    expect(
      await repo.applyStatus({ providerMessageId: 'wamid.B', status: 'delivered', at: at(4), error: null }),
    ).toMatchObject({ status: 'delivered' });
    await repo.applyStatus({ providerMessageId: 'wamid.B', status: 'failed', at: at(5), error: failure });
    expect((await repo.get('o2'))?.status).toBe('delivered');
    expect((await repo.byProviderMessageId('wamid.B'))?.id).toBe('o2');
    expect(await repo.byProviderMessageId('wamid.unknown')).toBeUndefined();
    expect(
      await repo.applyStatus({ providerMessageId: 'wamid.unknown', status: 'read', at: at(3), error: null }),
    ).toBeUndefined();
  });

  it('returns the first outbox row for a repeated idempotency key', async () => {
    const repo = await make();
    const input = message('o1', {
      idempotencyKey: 'run1:send',
      runId: 'run1',
      nodeId: 'send',
      payload: { text: 'hola' },
    });
    const first = await repo.enqueue(input);
    expect(first).toEqual({
      created: true,
      row: {
        id: 'o1',
        idempotencyKey: 'run1:send',
        runId: 'run1',
        nodeId: 'send',
        channel: 'default',
        recipient: '34600000001',
        kind: 'text',
        category: null,
        payload: { text: 'hola' },
        status: 'queued',
        attempts: 0,
        nextAttemptAt: null,
        claimExpiresAt: null,
        providerMessageId: null,
        lastError: null,
        createdAt: at(0),
        updatedAt: at(0),
      },
    });
    expect(await repo.enqueue({ ...input, id: 'o2', payload: { text: 'otra vez' } })).toEqual({
      created: false,
      row: first.row,
    });
    expect(await repo.get('o2')).toBeUndefined();
    expect((await repo.statuses('o1')).map((s) => s.status)).toEqual(['queued']);
  });

  it('claims due messages oldest first, once, and defers, retries, fails and requeues them', async () => {
    const repo = await make();
    // Three recipients: one recipient's messages are taken one at a time (outbox-claims.contract.ts).
    await repo.enqueue(message('late', { createdAt: at(3), recipient: '34600000003' }));
    await repo.enqueue(message('early', { createdAt: at(1), recipient: '34600000001' }));
    await repo.enqueue(message('mid', { createdAt: at(2), recipient: '34600000002' }));
    expect(await repo.claimDue(at(10), 0)).toEqual([]);
    const claimed = await repo.claimDue(at(10), 2);
    expect(claimed.map((r) => [r.id, r.status, r.attempts, r.updatedAt])).toEqual([
      ['early', 'sending', 1, at(10)],
      ['mid', 'sending', 1, at(10)],
    ]);
    expect(await repo.get('early')).toEqual(claimed[0]);
    expect((await repo.claimDue(at(10), 10)).map((r) => r.id)).toEqual(['late']);
    expect(await repo.claimDue(at(10), 10)).toEqual([]);

    await repo.defer('early', at(20));
    await repo.defer('early', at(30)); // no longer sending: nothing changes
    expect(await repo.get('early')).toMatchObject({ status: 'queued', attempts: 0, nextAttemptAt: at(20) });
    expect(await repo.claimDue(at(19), 10)).toEqual([]);
    expect((await repo.claimDue(at(20), 10)).map((r) => r.id)).toEqual(['early']);

    const error = { code: 130429, message: 'Rate limit hit', details: null };
    await repo.scheduleRetry('mid', at(40), error, at(11));
    expect(await repo.get('mid')).toMatchObject({
      status: 'queued',
      nextAttemptAt: at(40),
      lastError: error,
    });
    await repo.markFailed('late', { code: null, message: 'gave up' }, at(12));
    expect(await repo.get('late')).toMatchObject({ status: 'failed', nextAttemptAt: null });
    expect((await repo.statuses('late')).map((s) => `${s.status}/${s.source}`)).toEqual([
      'queued/api',
      'failed/api',
    ]);
    expect(await repo.retryNow('late', at(13))).toMatchObject({
      status: 'queued',
      attempts: 0,
      nextAttemptAt: at(13),
    });
    expect(await repo.retryNow('late', at(14))).toBeUndefined();
    expect(await repo.retryNow('missing', at(14))).toBeUndefined();
    expect((await repo.statuses('late')).at(-1)).toMatchObject({
      status: 'queued',
      source: 'manual',
      error: null,
    });
    await repo.markRefused('mid', { code: 'policy', message: 'no consent' }, at(15));
    expect((await repo.statuses('mid')).map((s) => `${s.status}/${s.source}`)).toEqual([
      'queued/api',
      'queued/retry',
      'refused/policy',
    ]);

    expect(await repo.requeueSending(at(50))).toBe(1); // 'early'
    expect(await repo.requeueSending(at(50))).toBe(0);
    expect(await repo.get('early')).toMatchObject({ status: 'queued', updatedAt: at(50) });
  });

  it('lists newest first, filtered by recipient and status, limited', async () => {
    const repo = await make();
    await repo.enqueue(message('a', { createdAt: at(1) }));
    await repo.enqueue(message('b', { createdAt: at(2), recipient: '34600000002' }));
    await repo.enqueue(message('c', { createdAt: at(3) }));
    await repo.enqueue(message('d', { createdAt: at(3) }));
    await repo.markFailed('c', { code: 1, message: 'x' }, at(4));
    expect((await repo.list({})).map((r) => r.id)).toEqual(['d', 'c', 'b', 'a']);
    expect((await repo.list({ recipient: '34600000001' })).map((r) => r.id)).toEqual(['d', 'c', 'a']);
    expect((await repo.list({ status: 'failed' })).map((r) => r.id)).toEqual(['c']);
    expect((await repo.list({ limit: 1 })).map((r) => r.id)).toEqual(['d']);
    expect(await repo.list({ teams: [] })).toEqual([]);
  });
}
