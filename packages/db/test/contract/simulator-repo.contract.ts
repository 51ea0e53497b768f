import { expect, it } from 'vitest';
import type { AsyncOf } from '../../src/ports.js';
import type { SimulatorRepository } from '../../src/simulator-repo.js';
import type { SimulatorSeed } from './simulator-fixtures.js';

export interface SimulatorFixture {
  /** On the channel `SIM`. */
  repo: AsyncOf<SimulatorRepository>;
  /** Writes the other areas' rows the simulator reads, in the same database. */
  seed: SimulatorSeed;
}

export const SIM = 'simulator';
const OTHER = 'ch-live';
const WA = '34611000001';
const WA2 = '34611000002';
const t = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString();
const message = (messageId: string, flowId: string, minute: number, clockOffsetMs: number | null = null) => ({
  messageId,
  waId: WA,
  flowId,
  clockOffsetMs,
  createdAt: t(minute),
});

export function simulatorRepoContract(make: () => Promise<SimulatorFixture>): void {
  it('records simulated messages and makes their flow the session’s flow under test', async () => {
    const { repo } = await make();
    expect(await repo.session(WA)).toBeUndefined();
    expect(await repo.message('wamid.1')).toBeUndefined();
    const thirtyDays = 30 * 24 * 3600 * 1000;
    await repo.recordMessage(message('wamid.1', 'flow-a', 1, thirtyDays));
    expect(await repo.message('wamid.1')).toEqual(message('wamid.1', 'flow-a', 1, thirtyDays));
    expect(await repo.session(WA)).toEqual({ waId: WA, flowId: 'flow-a', clearedAt: null, updatedAt: t(1) });
    // The same wamid again keeps its first record; the session follows the latest flow either way.
    await repo.recordMessage(message('wamid.1', 'flow-b', 2));
    expect((await repo.message('wamid.1'))?.flowId).toBe('flow-a');
    expect(await repo.session(WA)).toEqual({ waId: WA, flowId: 'flow-b', clearedAt: null, updatedAt: t(2) });
    await repo.recordMessage(message('wamid.2', 'flow-c', 3, -5));
    expect(await repo.message('wamid.2')).toMatchObject({ flowId: 'flow-c', clockOffsetMs: -5 });
    expect((await repo.session(WA))?.flowId).toBe('flow-c');
  });

  it('tells simulator runs (triggered on its channel) and lists the contact’s open ones', async () => {
    const { repo, seed } = await make();
    await seed.run({ id: 'r-queued', contactId: WA, status: 'queued', channelId: SIM, createdAt: t(1) });
    await seed.run({ id: 'r-running', contactId: WA, status: 'running', channelId: SIM, createdAt: t(2) });
    await seed.run({ id: 'r-waiting', contactId: WA, status: 'waiting', channelId: SIM, createdAt: t(3) });
    await seed.run({ id: 'r-done', contactId: WA, status: 'succeeded', channelId: SIM, createdAt: t(4) });
    await seed.run({ id: 'r-live', contactId: WA, status: 'queued', channelId: OTHER, createdAt: t(5) });
    await seed.run({ id: 'r-other', contactId: WA2, status: 'queued', channelId: SIM, createdAt: t(6) });
    expect(await repo.isSimulatorRun('r-done')).toBe(true);
    expect(await repo.isSimulatorRun('r-live')).toBe(false);
    expect(await repo.isSimulatorRun('missing')).toBe(false);
    expect((await repo.openRuns(WA)).sort()).toEqual(['r-queued', 'r-running', 'r-waiting']);
    expect(await repo.openRuns('nobody')).toEqual([]);
  });

  it('gives only idle runs (queued, waiting) a new clock, keeping the rest of their state', async () => {
    const { repo, seed } = await make();
    for (const [id, status] of [
      ['q', 'queued'],
      ['w', 'waiting'],
      ['r', 'running'],
      ['s', 'succeeded'],
    ] as const) {
      await seed.run({ id, contactId: WA, status, channelId: SIM, createdAt: t(1) });
    }
    const offset = 400 * 24 * 3600 * 1000;
    expect(await repo.setClockOffset(['q', 'w', 'r', 's', 'missing'], offset)).toBe(2);
    expect(await seed.runState('q')).toEqual({
      trigger: { channelId: SIM },
      vars: { n: 1 },
      clockOffsetMs: offset,
    });
    expect(await seed.runState('w')).toMatchObject({ clockOffsetMs: offset });
    expect(await seed.runState('r')).toEqual({ trigger: { channelId: SIM }, vars: { n: 1 } });
    expect(await seed.runState('s')).not.toHaveProperty('clockOffsetMs');
    // A second change replaces the first; no ids, nothing to do.
    expect(await repo.setClockOffset(['q'], -1000)).toBe(1);
    expect(await seed.runState('q')).toMatchObject({ clockOffsetMs: -1000 });
    expect(await repo.setClockOffset([], 5)).toBe(0);
  });

  it('reads the conversation oldest first with its runs, and polls only what is new or changed', async () => {
    const { repo, seed } = await make();
    const e1 = await seed.inbound({ waId: WA, channelId: SIM, messageId: 'wamid.in1', receivedAt: t(1) });
    await seed.inbound({
      waId: WA,
      channelId: SIM,
      messageId: 'x',
      type: 'message.status',
      receivedAt: t(1),
    });
    await seed.inbound({ waId: WA, channelId: OTHER, messageId: 'wamid.live', receivedAt: t(1) });
    await seed.inbound({ waId: WA2, channelId: SIM, messageId: 'wamid.wa2', receivedAt: t(1) });
    const e2 = await seed.inbound({
      waId: WA,
      channelId: SIM,
      messageId: 'wamid.in2',
      text: 'dos',
      receivedAt: t(3),
    });
    await seed.outbound({ id: 'o2', recipient: WA, channel: SIM, createdAt: t(4) });
    await seed.outbound({ id: 'o1', recipient: WA, channel: SIM, createdAt: t(2) });
    await seed.outbound({ id: 'o-live', recipient: WA, channel: OTHER, createdAt: t(2) });
    await seed.status('o1', 'sent', t(5));
    await seed.run({ id: 'r2', contactId: WA, status: 'succeeded', channelId: SIM, createdAt: t(2) });
    await seed.run({ id: 'r1', contactId: WA, status: 'waiting', channelId: SIM, createdAt: t(1) });
    await seed.run({ id: 'r-live', contactId: WA, status: 'queued', channelId: OTHER, createdAt: t(1) });

    const first = await repo.conversation(WA);
    expect(first.inbound).toEqual([
      { eventId: e1, normalized: { messageId: 'wamid.in1', text: 'hola' }, receivedAt: t(1) },
      { eventId: e2, normalized: { messageId: 'wamid.in2', text: 'dos' }, receivedAt: t(3) },
    ]);
    expect(first.outbound.map((o) => [o.id, o.status])).toEqual([
      ['o1', 'sent'],
      ['o2', 'queued'],
    ]);
    expect(first.outbound[0]).toEqual({
      id: 'o1',
      idempotencyKey: 'k-o1',
      runId: null,
      nodeId: null,
      channel: SIM,
      recipient: WA,
      kind: 'text',
      category: null,
      payload: { text: 'o1' },
      status: 'sent',
      attempts: 0,
      nextAttemptAt: null,
      claimExpiresAt: null,
      providerMessageId: null,
      lastError: null,
      createdAt: t(2),
      updatedAt: t(5),
    });
    expect(first.runs.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(first.runs[0]).toEqual({
      id: 'r1',
      flowId: 'f',
      flowVersion: 1,
      status: 'waiting',
      triggerNodeId: 't',
      contactId: WA,
      error: null,
      createdAt: t(1),
      startedAt: null,
      finishedAt: null,
      wakeAt: null,
    });
    // The cursor covers every event and status stored so far, whoever they belong to.
    expect(first.cursor.event).toBe(e2);
    expect(first.cursor.status).toBeGreaterThan(0);

    const quiet = await repo.conversation(WA, first.cursor);
    expect(quiet).toMatchObject({ inbound: [], outbound: [], cursor: first.cursor });
    expect(quiet.runs.map((r) => r.id)).toEqual(['r1', 'r2']);

    const e3 = await seed.inbound({ waId: WA, channelId: SIM, messageId: 'wamid.in3', receivedAt: t(6) });
    await seed.status('o2', 'delivered', t(7));
    const next = await repo.conversation(WA, first.cursor);
    expect(next.inbound.map((i) => i.eventId)).toEqual([e3]);
    expect(next.outbound.map((o) => [o.id, o.status])).toEqual([['o2', 'delivered']]);
    expect(next.cursor.event).toBe(e3);
    expect(next.cursor.status).toBeGreaterThan(first.cursor.status);
    expect(await repo.conversation('nobody')).toMatchObject({ inbound: [], outbound: [], runs: [] });
  });

  it('finds inbound messages by wamid and the wamids the bot marked read', async () => {
    const { repo, seed } = await make();
    const e1 = await seed.inbound({ waId: WA, channelId: SIM, messageId: 'wamid.a', receivedAt: t(1) });
    await seed.inbound({ waId: WA, channelId: SIM, messageId: 'wamid.b', receivedAt: t(2) });
    const e3 = await seed.inbound({ waId: WA, channelId: SIM, messageId: 'wamid.c', receivedAt: t(3) });
    await seed.inbound({ waId: WA, channelId: OTHER, messageId: 'wamid.a', receivedAt: t(4) });
    const found = await repo.inboundByMessageIds(WA, ['wamid.c', 'wamid.a', 'wamid.none']);
    expect(found.map((i) => i.eventId)).toEqual([e1, e3]);
    expect(found[1]).toEqual({
      eventId: e3,
      normalized: { messageId: 'wamid.c', text: 'hola' },
      receivedAt: t(3),
    });
    expect(await repo.inboundByMessageIds(WA, [])).toEqual([]);

    const read = (id: string, messageId: string, status: string, channel = SIM) =>
      seed.outbound({
        id,
        recipient: WA,
        channel,
        kind: 'markRead',
        payload: { messageId },
        status,
        createdAt: t(5),
      });
    await read('m1', 'wamid.a', 'accepted');
    await read('m2', 'wamid.b', 'queued');
    await read('m3', 'wamid.c', 'read');
    await read('m4', 'wamid.x', 'failed');
    await read('m5', 'wamid.y', 'sent', OTHER);
    await seed.outbound({ id: 'txt', recipient: WA, channel: SIM, status: 'sent', createdAt: t(5) });
    expect((await repo.markedRead(WA)).sort()).toEqual(['wamid.a', 'wamid.c']);
    expect(await repo.markedRead(WA2)).toEqual([]);
  });

  it('forgets the contact’s simulator conversation on a fresh start and hides the earlier runs', async () => {
    const { repo, seed } = await make();
    await repo.recordMessage(message('wamid.1', 'flow-a', 1));
    await seed.inbound({ waId: WA, channelId: SIM, messageId: 'wamid.1', receivedAt: t(1) });
    await seed.inbound({
      waId: WA,
      channelId: OTHER,
      messageId: 'wamid.live',
      receivedAt: t(1),
    });
    const otherEvent = await seed.inbound({
      waId: WA2,
      channelId: SIM,
      messageId: 'wamid.2',
      receivedAt: t(1),
    });
    await seed.outbound({ id: 'o1', recipient: WA, channel: SIM, createdAt: t(2) });
    await seed.status('o1', 'sent', t(2));
    await seed.outbound({ id: 'o-wa2', recipient: WA2, channel: SIM, createdAt: t(2) });
    await seed.status('o-wa2', 'sent', t(2));
    await seed.run({ id: 'before', contactId: WA, status: 'cancelled', channelId: SIM, createdAt: t(3) });

    await repo.forgetConversation(WA, t(4));
    await seed.run({ id: 'after', contactId: WA, status: 'queued', channelId: SIM, createdAt: t(5) });
    const c = await repo.conversation(WA);
    expect(c.inbound).toEqual([]);
    expect(c.outbound).toEqual([]);
    expect(c.runs.map((r) => r.id)).toEqual(['after']);
    expect(await seed.statusCount('o1')).toBe(0);
    expect(await repo.message('wamid.1')).toBeUndefined();
    // The flow under test stays; other contacts and channels are untouched.
    expect(await repo.session(WA)).toEqual({ waId: WA, flowId: 'flow-a', clearedAt: t(4), updatedAt: t(4) });
    expect(await seed.statusCount('o-wa2')).toBe(1);
    expect((await repo.conversation(WA2)).inbound.map((i) => i.eventId)).toEqual([otherEvent]);
    // A contact without a session gets one, with no flow.
    await repo.forgetConversation(WA2, t(6));
    expect(await repo.session(WA2)).toEqual({ waId: WA2, flowId: null, clearedAt: t(6), updatedAt: t(6) });
  });
}
