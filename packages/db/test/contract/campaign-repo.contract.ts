import { expect, it } from 'vitest';
import type { CampaignRepository } from '../../src/campaign-repo.js';
import type { OutboxRepository } from '../../src/outbox-repo.js';
import type { AsyncOf } from '../../src/ports.js';

export interface CampaignStores {
  campaigns: AsyncOf<CampaignRepository>;
  outbox: AsyncOf<OutboxRepository>;
}

const T = (s: number) => new Date(Date.UTC(2026, 2, 1, 12, 0, s)).toISOString();
const HOUR = 3_600_000;
const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

const input = (id: string, channel = 'default') => ({
  id,
  name: `Campaign ${id}`,
  channel,
  template: { name: 'promo', language: 'es', category: 'marketing' },
  audience: { filter: {} },
  schedule: { startAt: null, localHours: null },
  replyFlowId: null,
});

const template = (id: string, recipient: string, createdAt: string, channel = 'default') => ({
  id,
  idempotencyKey: `k-${id}`,
  runId: null,
  nodeId: null,
  channel,
  recipient,
  kind: 'template',
  category: 'marketing',
  payload: { type: 'template', name: 'promo', language: 'es' },
  createdAt,
});

export function campaignRepoContract(make: () => Promise<CampaignStores>) {
  it('creates, lists newest first, moves only from the statuses given, removes with its recipients', async () => {
    const { campaigns } = await make();
    await campaigns.create(input('a'), T(1));
    await campaigns.create(input('b'), T(2));
    expect((await campaigns.list()).items.map((c) => c.id)).toEqual(['b', 'a']);
    expect(await campaigns.get('a')).toMatchObject({
      status: 'draft',
      template: { name: 'promo' },
      replyFlowId: null,
    });
    expect(await campaigns.transition('a', ['paused'], { status: 'running' }, T(3))).toBeUndefined();
    expect(await campaigns.transition('a', ['draft'], { status: 'running' }, T(3))).toMatchObject({
      status: 'running',
      updatedAt: T(3),
    });
    await campaigns.addRecipients('a', [{ waId: '3461', name: null }]);
    expect(await campaigns.remove('a')).toBe(true);
    expect(await campaigns.get('a')).toBeUndefined();
    expect((await campaigns.tally('a')).groups).toEqual([]);
    expect(await campaigns.remove('a')).toBe(false);
  });

  it('pages the list newest first (ties by id), filters it by status, refuses a foreign cursor', async () => {
    const { campaigns } = await make();
    // Two created in the same millisecond: the larger id first.
    for (const [id, at] of [
      ['p1', T(1)],
      ['p2', T(2)],
      ['p3', T(2)],
      ['p4', T(3)],
      ['p5', T(4)],
    ] as const)
      await campaigns.create(input(id), at);
    await campaigns.transition('p2', ['draft'], { status: 'cancelled' }, T(5));
    await campaigns.transition('p4', ['draft'], { status: 'cancelled' }, T(5));
    // The first page ends between the two of the same millisecond.
    const first = await campaigns.list({ limit: 3 });
    expect(first.items.map((c) => c.id)).toEqual(['p5', 'p4', 'p3']);
    const second = await campaigns.list({ limit: 3, cursor: first.nextCursor! });
    expect(second.items.map((c) => c.id)).toEqual(['p2', 'p1']);
    expect(second.nextCursor).toBeNull();
    const cancelled = await campaigns.list({ status: 'cancelled', limit: 1 });
    expect(cancelled.items.map((c) => c.id)).toEqual(['p4']);
    const rest = await campaigns.list({ status: 'cancelled', limit: 1, cursor: cancelled.nextCursor! });
    expect(rest.items.map((c) => c.id)).toEqual(['p2']);
    expect(rest.nextCursor).toBeNull();
    expect((await campaigns.list({ status: 'running' })).items).toEqual([]);
    await expect(campaigns.list({ cursor: 'not-a-cursor' })).rejects.toThrow(
      'cursor is not one this server returned',
    );
  });

  it('keeps a WhatsApp id once, hands out due recipients by id and settles each only once', async () => {
    const { campaigns } = await make();
    await campaigns.create(input('c'), T(0));
    expect(
      await campaigns.addRecipients('c', [
        { waId: '3463', name: 'C' },
        { waId: '3461', name: 'A' },
        { waId: '3462', name: null },
      ]),
    ).toBe(3);
    expect(
      await campaigns.addRecipients('c', [
        { waId: '3461', name: 'again' },
        { waId: '3464', name: null },
      ]),
    ).toBe(1);
    await campaigns.defer('c', '3462', T(30));
    expect((await campaigns.duePending('c', T(10), 10)).map((r) => r.waId)).toEqual(['3461', '3463', '3464']);
    expect((await campaigns.duePending('c', T(30), 2)).map((r) => r.waId)).toEqual(['3461', '3462']);
    expect(await campaigns.settle('c', '3461', { status: 'skipped', reason: 'opted_out', at: T(11) })).toBe(
      true,
    );
    expect(await campaigns.settle('c', '3461', { status: 'queued', outboxId: 'm1', at: T(12) })).toBe(false);
    expect(await campaigns.settle('c', '3463', { status: 'queued', outboxId: 'm1', at: T(12) })).toBe(true);
    expect(await campaigns.pending('c')).toEqual({ count: 2, nextDueAt: null });
    expect(await campaigns.cancelPending('c')).toBe(2);
    expect(await campaigns.pending('c')).toEqual({ count: 0, nextDueAt: null });
  });

  it('says when the first deferred recipient falls due', async () => {
    const { campaigns } = await make();
    await campaigns.create(input('d'), T(0));
    await campaigns.addRecipients('d', [
      { waId: '1', name: null },
      { waId: '2', name: null },
    ]);
    await campaigns.defer('d', '1', T(40));
    await campaigns.defer('d', '2', T(20));
    expect(await campaigns.pending('d')).toEqual({ count: 2, nextDueAt: T(20) });
  });

  it('leases one active campaign per channel at a time; waiting ones and lapsed leases as they should', async () => {
    const { campaigns } = await make();
    for (const [id, channel] of [
      ['a', 'one'],
      ['b', 'one'],
      ['c', 'two'],
      ['d', 'two'],
    ] as const)
      await campaigns.create(input(id, channel), T(id.charCodeAt(0) - 96));
    await campaigns.transition('a', ['draft'], { status: 'running' }, T(5));
    await campaigns.transition('b', ['draft'], { status: 'running' }, T(5));
    await campaigns.transition('c', ['draft'], { status: 'scheduled', waitingUntil: T(50) }, T(5));
    // d stays a draft: never claimed.
    const first = await campaigns.claim(T(10), 'w1', 60_000);
    expect(first?.id).toBe('a');
    // b shares a's channel, c waits until T(50).
    expect(await campaigns.claim(T(10), 'w2', 60_000)).toBeUndefined();
    expect((await campaigns.claim(T(50), 'w2', 60_000))?.id).toBe('c');
    // Only its owner releases a lease.
    expect(await campaigns.release('a', 'w2', {}, T(11))).toBeUndefined();
    expect(
      await campaigns.release('a', 'w1', { waitingReason: 'local_hours', waitingUntil: T(100) }, T(11)),
    ).toMatchObject({
      leaseOwner: null,
      waitingReason: 'local_hours',
    });
    expect((await campaigns.claim(T(12), 'w2', 60_000))?.id).toBe('b');
    // A worker that died: its lease lapses and another takes the campaign.
    expect(await campaigns.claim(T(30), 'w3', 60_000)).toBeUndefined();
    expect((await campaigns.claim(later(T(12), 60_001), 'w3', 60_000))?.id).toBe('b');
  });

  it('counts recipients by their message status and the distinct recipients of templates in 24 hours', async () => {
    const { campaigns, outbox } = await make();
    await campaigns.create(input('e'), T(0));
    await campaigns.addRecipients(
      'e',
      ['1', '2', '3', '4', '5'].map((waId) => ({ waId, name: null })),
    );
    for (const waId of ['1', '2', '3']) {
      await outbox.enqueue(template(`m${waId}`, waId, T(1)));
      await campaigns.settle('e', waId, { status: 'queued', outboxId: `m${waId}`, at: T(1) });
    }
    await outbox.markAccepted('m1', 'wamid.1', T(2));
    await outbox.markRefused('m2', { code: 'opted_out', message: 'no' }, T(2));
    await campaigns.settle('e', '4', { status: 'skipped', reason: 'blocked_region', at: T(2) });
    const tally = await campaigns.tally('e');
    const groups = tally.groups.map((g) => `${g.status}/${g.reason}/${g.outboxStatus}=${g.n}`).sort();
    expect(groups).toEqual([
      'pending/null/null=1',
      'queued/null/accepted=1',
      'queued/null/queued=1',
      'queued/null/refused=1',
      'skipped/blocked_region/null=1',
    ]);
    expect(await campaigns.failures('e')).toEqual([
      { outboxStatus: 'refused', error: { code: 'opted_out', message: 'no' } },
    ]);
    // Another message to recipient 1, one on another account, one older than 24 hours: 2 distinct
    // recipients (1 and 3; 2's was refused), the oldest counted at T(1).
    await outbox.enqueue(template('m1b', '1', T(3)));
    await outbox.enqueue(template('other', '9', T(3), 'elsewhere'));
    await outbox.enqueue(template('old', '8', later(T(1), -25 * HOUR)));
    expect(await campaigns.templateRecipientsSince(['default'], later(T(10), -24 * HOUR))).toEqual({
      count: 2,
      oldest: T(1),
    });
    const page = await campaigns.recipients('e', { state: 'skipped', limit: 10 });
    expect(page.map((r) => [r.waId, r.reason, r.outboxStatus])).toEqual([
      ['2', null, 'refused'],
      ['4', 'blocked_region', null],
    ]);
    expect((await campaigns.recipients('e', { after: '3', limit: 10 })).map((r) => r.waId)).toEqual([
      '4',
      '5',
    ]);
    // By skip reason: the recipient skipped for it and the message refused for it.
    const ids = async (page: { state?: 'skipped'; reason?: string; code?: string }) =>
      (await campaigns.recipients('e', { ...page, limit: 10 })).map((r) => r.waId);
    expect(await ids({ reason: 'blocked_region' })).toEqual(['4']);
    expect(await ids({ reason: 'opted_out' })).toEqual(['2']);
    expect(await ids({ state: 'skipped', reason: 'opted_out' })).toEqual(['2']);
    expect(await ids({ reason: 'missing_parameter' })).toEqual([]);
    // By the error code of a failed message (a number in the error, a string in the filter).
    await outbox.markFailed('m3', { code: 131026, message: 'Message undeliverable' }, T(3));
    expect(await ids({ code: '131026' })).toEqual(['3']);
    expect(await ids({ code: '131049' })).toEqual([]);
    // A refused message's code is not a failure's.
    expect(await ids({ code: 'opted_out' })).toEqual([]);
    await outbox.enqueue(template('m5', '5', T(4)));
    await campaigns.settle('e', '5', { status: 'queued', outboxId: 'm5', at: T(4) });
    await outbox.markFailed('m5', { code: null, message: 'no code' }, T(5));
    expect(await ids({ code: 'unknown' })).toEqual(['5']);
  });

  it('notes a reply on the recipient of a recent campaign message, once', async () => {
    const { campaigns, outbox } = await make();
    await campaigns.create({ ...input('f'), replyFlowId: 'sales' }, T(0));
    await campaigns.transition('f', ['draft'], { status: 'running' }, T(0));
    await campaigns.addRecipients('f', [{ waId: '1', name: null }]);
    await outbox.enqueue(template('mf', '1', T(1)));
    await campaigns.settle('f', '1', { status: 'queued', outboxId: 'mf', at: T(1) });
    expect(await campaigns.markReplied('default', '1', T(2), T(5))).toEqual([]);
    expect((await campaigns.markReplied('default', '1', T(0), T(5))).map((c) => c.replyFlowId)).toEqual([
      'sales',
    ]);
    expect(await campaigns.markReplied('default', '1', T(0), T(6))).toEqual([]);
    expect((await campaigns.recipients('f', { limit: 1 }))[0]?.repliedAt).toBe(T(5));
  });
}
