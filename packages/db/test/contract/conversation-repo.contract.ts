import { expect, it } from 'vitest';
import type {
  ConversationFilter,
  ConversationRepository,
  NewConversation,
} from '../../src/conversation-repo.js';
import type { AsyncOf } from '../../src/ports.js';
import { CursorError } from '../../src/run-queries.js';
import { rejection, UNIQUE_VIOLATION } from './team-repo.contract.js';

// What callers of ConversationRepository rely on, run on both databases (conversation-repo.contract.test.ts).

const AT = '2026-05-05T10:00:00.000Z';

let n = 0;
export const conversation = (over: Partial<NewConversation> = {}): NewConversation => {
  n++;
  return {
    id: `c${String(n).padStart(3, '0')}`,
    channel: 'default',
    waId: `3460000${String(n).padStart(4, '0')}`,
    contactName: 'Ana',
    teamId: 'billing',
    priority: 'normal',
    strategy: 'roundRobin',
    skills: [],
    summary: 'mi factura',
    runId: 'run1',
    flowId: 'support',
    nodeId: 'route',
    idempotencyKey: `run1:route:${n}`,
    slaMinutes: 15,
    slaDueAt: '2026-05-05T10:15:00.000Z',
    escalation: null,
    queuedBecause: 'no_agent_available',
    ...over,
  };
};

type Repo = AsyncOf<ConversationRepository>;

/** Every id of the list, following `nextCursor` two at a time. */
async function allPages(conversations: Repo, filter: ConversationFilter): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const result = await conversations.list({ ...filter, limit: 2, ...(after ? { after } : {}) });
    ids.push(...result.items.map((c) => c.id));
    after = result.nextCursor ?? undefined;
  } while (after);
  return ids;
}

export function conversationRepoContract(make: () => Promise<Repo>): void {
  it('records every change in the history, in order', async () => {
    const conversations = await make();
    const input = conversation({ skills: ['billing'], escalation: { team: 'ops', slack: true } });
    const c = await conversations.open(input, AT);
    const { priority: _p, ...fields } = input;
    expect(c).toEqual({
      ...fields,
      priority: 'normal',
      agentId: null,
      state: 'queued',
      openedAt: AT,
      assignedAt: null,
      pickedUpAt: null,
      escalatedAt: null,
      notifyCredential: null,
      notifiedAt: null,
      notifyAttempts: 0,
      notifyNextAt: null,
      closedAt: null,
      updatedAt: AT,
    });
    expect(await conversations.get(c.id)).toEqual(c);
    await conversations.assign(c.id, 'ana', '2026-05-05T10:01:00.000Z');
    await conversations.pickUp(c.id, 'ana', '2026-05-05T10:02:00.000Z');
    const closed = await conversations.close(c.id, '2026-05-05T10:30:00.000Z', { by: 'api' });
    expect(closed).toMatchObject({ state: 'closed', updatedAt: '2026-05-05T10:30:00.000Z' });
    expect(await conversations.get(c.id)).toMatchObject({
      state: 'closed',
      agentId: 'ana',
      assignedAt: '2026-05-05T10:01:00.000Z',
      pickedUpAt: '2026-05-05T10:02:00.000Z',
      closedAt: '2026-05-05T10:30:00.000Z',
    });
    const history = await conversations.history(c.id);
    expect(history.map((e) => [e.kind, e.data])).toEqual([
      ['opened', { team: 'billing', priority: 'normal', runId: 'run1', flowId: 'support', nodeId: 'route' }],
      ['assigned', { agent: 'ana' }],
      ['picked_up', { agent: 'ana' }],
      ['closed', { by: 'api' }],
    ]);
    expect(history[1]).toMatchObject({ conversationId: c.id, at: '2026-05-05T10:01:00.000Z' });
    expect(typeof history[0]?.id).toBe('number');
    expect(await conversations.change('nope', { state: 'open' }, null, AT)).toBeUndefined();
    expect(await conversations.get('nope')).toBeUndefined();
    expect(await conversations.history('nope')).toEqual([]);
  });

  it('changes fields with or without a history row; priority changes the queue rank', async () => {
    const conversations = await make();
    const a = await conversations.open(conversation(), '2026-05-05T09:00:00.000Z');
    const b = await conversations.open(conversation(), '2026-05-05T09:30:00.000Z');
    expect(await conversations.change(b.id, { priority: 'urgent', summary: 'x' }, null, AT)).toMatchObject({
      priority: 'urgent',
      summary: 'x',
      updatedAt: AT,
    });
    expect((await conversations.queued('billing', 10)).map((c) => c.id)).toEqual([b.id, a.id]);
    await conversations.queue(a.id, 'after_hours', AT, { because: 'left' });
    await conversations.addEvent(a.id, AT, 'note', { text: 'hola' });
    expect((await conversations.history(a.id)).map((e) => [e.kind, e.data])).toEqual([
      ['opened', expect.any(Object)],
      ['queued', { reason: 'after_hours', because: 'left' }],
      ['note', { text: 'hola' }],
    ]);
    expect((await conversations.history(b.id)).map((e) => e.kind)).toEqual(['opened']);
  });

  it('refuses a second conversation for the same idempotency key', async () => {
    const conversations = await make();
    await conversations.open(conversation({ idempotencyKey: 'k' }), AT);
    const second = conversation({ idempotencyKey: 'k' });
    expect(await rejection(conversations.open(second, AT))).toMatch(UNIQUE_VIOLATION);
    expect(await conversations.get(second.id)).toBeUndefined();
    expect(await conversations.history(second.id)).toEqual([]);
  });

  it('finds the contact’s conversation that is not closed, and whether teams know the contact', async () => {
    const conversations = await make();
    const c = await conversations.open(conversation({ waId: '34600000999' }), AT);
    expect((await conversations.activeForContact('34600000999', 'default'))?.id).toBe(c.id);
    expect(await conversations.activeForContact('34600000999', 'other')).toBeUndefined();
    expect(await conversations.contactInTeams('default', '34600000999', ['sales', 'billing'])).toBe(true);
    expect(await conversations.contactInTeams('default', '34600000999', ['sales'])).toBe(false);
    expect(await conversations.contactInTeams('default', '34600000999', [])).toBe(false);
    await conversations.close(c.id, AT);
    expect(await conversations.activeForContact('34600000999', 'default')).toBeUndefined();
    expect(await conversations.contactInTeams('default', '34600000999', ['billing'])).toBe(true);
    const newer = await conversations.open(conversation({ waId: '34600000999' }), '2026-05-05T11:00:00.000Z');
    expect((await conversations.activeForContact('34600000999', 'default'))?.id).toBe(newer.id);
  });

  it('serves a queue by priority, then age; counts what agents hold and which teams have a queue', async () => {
    const conversations = await make();
    const old = await conversations.open(conversation(), '2026-05-05T09:00:00.000Z');
    const urgent = await conversations.open(conversation({ priority: 'urgent' }), '2026-05-05T09:30:00.000Z');
    const low = await conversations.open(conversation({ priority: 'low' }), '2026-05-05T08:00:00.000Z');
    const newer = await conversations.open(conversation(), '2026-05-05T09:10:00.000Z');
    await conversations.open(conversation({ teamId: 'sales' }), AT);
    expect((await conversations.queued('billing', 10)).map((c) => c.id)).toEqual([
      urgent.id,
      old.id,
      newer.id,
      low.id,
    ]);
    expect((await conversations.queued('billing', 2)).map((c) => c.id)).toEqual([urgent.id, old.id]);
    expect((await conversations.teamsWithQueue()).sort()).toEqual(['billing', 'sales']);
    await conversations.assign(old.id, 'ana', AT);
    await conversations.assign(newer.id, 'ana', AT);
    await conversations.pickUp(newer.id, 'ana', AT);
    await conversations.assign(low.id, 'bea', AT);
    await conversations.close(low.id, AT);
    expect(await conversations.heldCounts()).toEqual(new Map([['ana', 2]]));
    expect(await conversations.heldCounts(['ana', 'bea'])).toEqual(new Map([['ana', 2]]));
    expect(await conversations.heldCounts(['bea'])).toEqual(new Map());
    expect(await conversations.heldCounts([])).toEqual(new Map());
    expect((await conversations.ofAgent('ana', ['assigned'])).map((c) => c.id)).toEqual([old.id]);
    expect((await conversations.ofAgent('ana', ['assigned', 'open'])).map((c) => c.id)).toEqual([
      old.id,
      newer.id,
    ]);
    expect(await conversations.countActive('billing')).toBe(3);
    expect(await conversations.countActive('nobody')).toBe(0);
  });

  it('lists what is due for escalation: SLA passed, not picked up, not escalated yet', async () => {
    const conversations = await make();
    const due = await conversations.open(conversation({ slaDueAt: '2026-05-05T10:15:00.000Z' }), AT);
    await conversations.open(conversation({ slaDueAt: '2026-05-05T11:00:00.000Z' }), AT);
    await conversations.open(conversation({ slaDueAt: null, slaMinutes: null }), AT);
    const picked = await conversations.open(conversation({ slaDueAt: '2026-05-05T10:05:00.000Z' }), AT);
    await conversations.pickUp(picked.id, 'ana', AT);
    const assigned = await conversations.open(conversation({ slaDueAt: '2026-05-05T10:10:00.000Z' }), AT);
    await conversations.assign(assigned.id, 'ana', AT);
    const now = '2026-05-05T10:20:00.000Z';
    expect((await conversations.dueForEscalation(now, 10)).map((c) => c.id)).toEqual([assigned.id, due.id]);
    expect((await conversations.dueForEscalation(now, 1)).map((c) => c.id)).toEqual([assigned.id]);
    await conversations.change(
      due.id,
      { escalatedAt: now, notifyCredential: 'ops' },
      { kind: 'escalated' },
      now,
    );
    expect((await conversations.dueForEscalation(now, 10)).map((c) => c.id)).toEqual([assigned.id]);
    // The Slack post it owes is pending until it is recorded, and waits for its next try after a failure.
    expect((await conversations.pendingNotifications(now, 10)).map((c) => c.id)).toEqual([due.id]);
    await conversations.change(
      due.id,
      { notifyAttempts: 1, notifyNextAt: '2026-05-05T10:21:00.000Z' },
      null,
      now,
    );
    expect(await conversations.pendingNotifications(now, 10)).toEqual([]);
    expect(
      (await conversations.pendingNotifications('2026-05-05T10:21:00.000Z', 10)).map((c) => c.id),
    ).toEqual([due.id]);
    await conversations.change(due.id, { notifiedAt: now }, null, now);
    expect(await conversations.pendingNotifications('2026-05-05T11:00:00.000Z', 10)).toEqual([]);
  });

  it('lists with filters and keyset pages, queue order for open lists and newest first for closed', async () => {
    const conversations = await make();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = await conversations.open(
        conversation({ priority: i % 3 === 0 ? 'high' : 'normal', teamId: i < 6 ? 'billing' : 'sales' }),
        `2026-05-05T10:0${i}:00.000Z`,
      );
      ids.push(c.id);
    }
    await conversations.close(ids[5] ?? '', AT);
    await conversations.assign(ids[1] ?? '', 'ana', AT);
    expect(await allPages(conversations, { state: 'active', teamId: 'billing' })).toEqual([
      ids[0],
      ids[3],
      ids[1],
      ids[2],
      ids[4],
    ]);
    expect(await allPages(conversations, {})).toEqual([
      ids[0],
      ids[3],
      ids[6],
      ids[1],
      ids[2],
      ids[4],
      ids[5],
    ]);
    expect(await allPages(conversations, { priority: 'high' })).toEqual([ids[0], ids[3], ids[6]]);
    expect(await allPages(conversations, { state: 'closed' })).toEqual([ids[5]]);
    expect(await allPages(conversations, { state: 'assigned' })).toEqual([ids[1]]);
    expect(await allPages(conversations, { agentId: 'ana' })).toEqual([ids[1]]);
    expect(await allPages(conversations, { teamIds: ['sales'] })).toEqual([ids[6]]);
    expect(await allPages(conversations, { teamIds: [] })).toEqual([]);
    expect(
      await allPages(conversations, { since: '2026-05-05T10:02:00.000Z', until: '2026-05-05T10:04:00.000Z' }),
    ).toEqual([ids[3], ids[2]]);
    const waId = (await conversations.get(ids[1] ?? ''))?.waId;
    expect(await allPages(conversations, { waId })).toEqual([ids[1]]);
    await expect(conversations.list({ after: 'bm9wZQ' })).rejects.toThrow(CursorError);
    await expect(conversations.list({ after: 'bm9wZQ' })).rejects.toThrow(/cursor/);
    // A queue cursor is no cursor for the closed list, and the other way round.
    const queuePage = await conversations.list({ limit: 1 });
    expect(queuePage.nextCursor).not.toBeNull();
    await expect(conversations.list({ state: 'closed', after: queuePage.nextCursor ?? '' })).rejects.toThrow(
      CursorError,
    );
    expect((await conversations.list({ state: 'closed', limit: 1 })).nextCursor).toBeNull();
  });

  it('breaks ties between conversations opened at the same time by id, in byte order', async () => {
    const conversations = await make();
    for (const id of ['c-b', 'C-a', 'c-a', 'c_a']) await conversations.open(conversation({ id }), AT);
    for (const id of ['x-b', 'X-a'])
      await conversations.close((await conversations.open(conversation({ id }), AT)).id, AT);
    const order = ['C-a', 'c-a', 'c-b', 'c_a'];
    expect((await conversations.queued('billing', 10)).map((c) => c.id)).toEqual(order);
    expect(await allPages(conversations, { state: 'queued' })).toEqual(order);
    expect(await allPages(conversations, { state: 'closed' })).toEqual(['x-b', 'X-a']);
  });

  it('keeps each routing step’s first outcome by its key', async () => {
    const conversations = await make();
    expect(await conversations.request('run1:route')).toBeUndefined();
    await conversations.recordRequest('run1:route', 'c1', { ok: true, state: 'queued' }, AT);
    expect(await conversations.request('run1:route')).toEqual({
      conversationId: 'c1',
      outcome: { ok: true, state: 'queued' },
    });
    expect(await rejection(conversations.recordRequest('run1:route', 'c2', {}, AT))).toMatch(
      UNIQUE_VIOLATION,
    );
    expect(await conversations.request('run1:route')).toMatchObject({ conversationId: 'c1' });
  });
}
