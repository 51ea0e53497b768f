import { expect, it } from 'vitest';
import type { OutboxRepository } from '../../src/outbox-repo.js';
import type { AsyncOf } from '../../src/ports.js';
import { at, message } from './outbox-repo.contract.js';

type Outbox = AsyncOf<OutboxRepository>;

/** A time `minutes` and `seconds` into the test day (`at` stops at 59 s). */
const atMin = (minutes: number, seconds = 0) =>
  `2026-01-01T00:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}.000Z`;
const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);
const ANA = '34600000001';
const BEA = '34600000002';

/** Per-recipient order, claim leases and reconciliation from status webhooks; both databases. */
export function outboxClaimsContract(make: () => Promise<Outbox>): void {
  it('hands out one message per recipient at a time, oldest first', async () => {
    const repo = await make();
    await repo.enqueue(message('ana1', { createdAt: at(1) }));
    await repo.enqueue(message('ana2', { createdAt: at(2) }));
    await repo.enqueue(message('ana3', { createdAt: at(3) }));
    await repo.enqueue(message('bea1', { createdAt: at(2), recipient: BEA }));
    // The same number on another business number is another conversation.
    await repo.enqueue(message('ana-other', { createdAt: at(4), channel: 'second' }));

    expect(ids(await repo.claimDue(at(10), 10))).toEqual(['ana1', 'bea1', 'ana-other']);
    expect(await repo.claimDue(at(10), 10)).toEqual([]); // ana1 is in flight: ana2 waits
    await repo.markAccepted('ana1', 'wamid.1', at(11));
    expect(ids(await repo.claimDue(at(11), 10))).toEqual(['ana2']);

    // Deferred for pacing, ana2 still goes before ana3.
    await repo.defer('ana2', at(20));
    expect(await repo.claimDue(at(12), 10)).toEqual([]);
    expect(ids(await repo.claimDue(at(20), 10))).toEqual(['ana2']);

    // Waiting for a retry, too.
    await repo.scheduleRetry('ana2', at(30), { code: 131000, message: 'try later' }, at(21));
    expect(await repo.claimDue(at(29), 10)).toEqual([]);
    expect(ids(await repo.claimDue(at(30), 10))).toEqual(['ana2']);

    // A message that ends (failed, refused) lets the next one go.
    await repo.markFailed('ana2', { code: 131026, message: 'undeliverable' }, at(31));
    expect(ids(await repo.claimDue(at(31), 10))).toEqual(['ana3']);
  });

  it('holds a recipient’s messages in creation order when they share a time, and within the limit', async () => {
    const repo = await make();
    for (const id of ['m3', 'm1', 'm2']) await repo.enqueue(message(id, { createdAt: at(1) }));
    await repo.enqueue(message('bea', { createdAt: at(2), recipient: BEA }));
    expect(ids(await repo.claimDue(at(5), 1))).toEqual(['m1']);
    expect(ids(await repo.claimDue(at(5), 1))).toEqual(['bea']);
    for (const next of ['m2', 'm3']) {
      const [sending] = await repo.list({ status: 'sending', recipient: ANA });
      await repo.markAccepted(sending?.id ?? '', `wamid.${next}`, at(6));
      expect(ids(await repo.claimDue(at(6), 5))).toEqual([next]);
    }
  });

  it('claims under a lease; a lapsed claim goes back to the queue and still goes first', async () => {
    const repo = await make();
    await repo.enqueue(message('a1', { createdAt: at(1) }));
    await repo.enqueue(message('a2', { createdAt: at(2) }));
    const [claimed] = await repo.claimDue(at(10), 10, 5_000);
    expect(claimed).toMatchObject({ id: 'a1', claimExpiresAt: at(15) });
    expect(await repo.get('a1')).toMatchObject({ status: 'sending', claimExpiresAt: at(15) });

    expect(await repo.requeueExpiredSending(at(14))).toBe(0);
    // Lapsed but not yet requeued: a2 must not overtake it.
    expect(await repo.claimDue(at(16), 10)).toEqual([]);
    expect(await repo.requeueExpiredSending(at(16))).toBe(1);
    expect(await repo.get('a1')).toMatchObject({ status: 'queued', claimExpiresAt: null, attempts: 1 });
    expect(await repo.claimDue(at(17), 10)).toMatchObject([{ id: 'a1', attempts: 2 }]);

    // The default lease is a minute; every way out of `sending` ends the claim.
    expect((await repo.get('a1'))?.claimExpiresAt).toBe(atMin(1, 17));
    await repo.defer('a1', at(18));
    expect((await repo.get('a1'))?.claimExpiresAt).toBeNull();
    await repo.claimDue(at(18), 10);
    await repo.markAccepted('a1', 'wamid.a1', at(19));
    expect((await repo.get('a1'))?.claimExpiresAt).toBeNull();
    await repo.claimDue(at(19), 10);
    await repo.scheduleRetry('a2', at(25), { code: 0, message: 'network' }, at(20));
    expect(await repo.get('a2')).toMatchObject({ status: 'queued', claimExpiresAt: null });
    expect(await repo.requeueExpiredSending(atMin(5))).toBe(0);
  });

  it('turns a status naming an unrecorded message by its callback data into its acceptance', async () => {
    const repo = await make();
    await repo.enqueue(message('o1', { createdAt: at(1) }));
    await repo.enqueue(message('o2', { createdAt: at(2) }));
    await repo.claimDue(at(3), 10);
    // The sender died after Meta accepted o1; its `sent` names o1 in the callback data.
    const sent = await repo.applyStatus({
      providerMessageId: 'wamid.1',
      status: 'sent',
      at: at(4),
      error: null,
      bizOpaqueCallbackData: 'o1',
    });
    expect(sent).toMatchObject({
      id: 'o1',
      status: 'sent',
      providerMessageId: 'wamid.1',
      claimExpiresAt: null,
    });
    expect((await repo.statuses('o1')).map((s) => `${s.status}/${s.source}`)).toEqual([
      'queued/api',
      'accepted/reconciled',
      'sent/webhook',
    ]);
    // Never sent again: the lease sweep leaves it, and o2 (next in line) is free to go.
    expect(await repo.requeueExpiredSending(atMin(5))).toBe(0);
    expect(ids(await repo.claimDue(atMin(5), 10))).toEqual(['o2']);

    // Requeued after a crash and waiting to be sent again: recognised the same way.
    expect(await repo.requeueSending(atMin(5, 1))).toBe(1);
    expect(
      await repo.applyStatus({
        providerMessageId: 'wamid.2',
        status: 'delivered',
        at: atMin(5, 2),
        error: null,
        bizOpaqueCallbackData: 'o2',
      }),
    ).toMatchObject({ id: 'o2', status: 'delivered', providerMessageId: 'wamid.2' });
    expect(await repo.claimDue(atMin(6), 10)).toEqual([]);
  });

  it('keeps what a status reconciled when the sender’s own answer comes late', async () => {
    const repo = await make();
    await repo.enqueue(message('o1'));
    await repo.claimDue(at(1), 10);
    await repo.applyStatus({
      providerMessageId: 'wamid.1',
      status: 'delivered',
      at: at(3),
      error: null,
      bizOpaqueCallbackData: 'o1',
    });
    // Graph's answer, recorded after the webhook: progress does not move back.
    await repo.markAccepted('o1', 'wamid.1', at(2));
    expect(await repo.get('o1')).toMatchObject({ status: 'delivered', providerMessageId: 'wamid.1' });
    // The answer was lost instead (a timeout): the retry must not queue a delivered message again.
    await repo.scheduleRetry('o1', at(9), { code: 0, message: 'timed out' }, at(4));
    await repo.markFailed('o1', { code: 0, message: 'gave up' }, at(5));
    expect(await repo.get('o1')).toMatchObject({ status: 'delivered', lastError: null });
    expect((await repo.statuses('o1')).map((s) => `${s.status}/${s.source}`)).toEqual([
      'queued/api',
      'accepted/reconciled',
      'delivered/webhook',
      'accepted/api',
    ]);
  });

  it('ignores callback data of a message already accepted under another wamid, or unknown', async () => {
    const repo = await make();
    await repo.enqueue(message('o1'));
    await repo.claimDue(at(1), 10);
    await repo.markAccepted('o1', 'wamid.first', at(2));
    const other = { status: 'read', at: at(3), error: null };
    expect(
      await repo.applyStatus({ ...other, providerMessageId: 'wamid.second', bizOpaqueCallbackData: 'o1' }),
    ).toBeUndefined();
    expect(
      await repo.applyStatus({ ...other, providerMessageId: 'wamid.third', bizOpaqueCallbackData: 'nope' }),
    ).toBeUndefined();
    expect(await repo.get('o1')).toMatchObject({ status: 'accepted', providerMessageId: 'wamid.first' });
    expect(await repo.statuses('o1')).toHaveLength(2);

    // A failure reported for an unrecorded message: accepted first, then failed with Meta's error.
    await repo.enqueue(message('o2', { recipient: BEA }));
    await repo.claimDue(at(4), 10);
    const failure = { code: 131026, message: 'Message undeliverable' };
    expect(
      await repo.applyStatus({
        providerMessageId: 'wamid.o2',
        status: 'failed',
        at: at(5),
        error: failure,
        bizOpaqueCallbackData: 'o2',
      }),
    ).toMatchObject({ status: 'failed', lastError: failure, providerMessageId: 'wamid.o2' });
  });
}
