import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../src/connection.js';
import { EventRepository } from '../src/event-repo.js';
import { FlowRepository } from '../src/flow-repo.js';
import { OutboxRepository } from '../src/outbox-repo.js';
import { listRuns } from '../src/run-queries.js';
import { SqliteRunStore } from '../src/run-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const doc = (name: string) => ({
  schemaVersion: 1,
  id: 'welcome',
  name,
  description: '',
  nodes: [],
  edges: [],
});

describe('flow repository', () => {
  it('keeps every changed version and adds none for an identical save', () => {
    const repo = new FlowRepository(openDb({ path: ':memory:' }));
    expect(repo.save(doc('v1'))).toMatchObject({ created: true, changed: true, flow: { version: 1 } });
    expect(repo.save(doc('v1'))).toMatchObject({ created: false, changed: false, flow: { version: 1 } });
    expect(repo.save(doc('v2'))).toMatchObject({ changed: true, flow: { version: 2, name: 'v2' } });
    expect(repo.versions('welcome').map((v) => v.version)).toEqual([2, 1]);
    expect(repo.getVersion('welcome', 1)).toEqual(doc('v1'));
    expect(repo.get('welcome')?.document).toEqual(doc('v2'));
  });

  it('searches, activates and deletes, cancelling the flow’s unfinished runs', async () => {
    const db = openDb({ path: ':memory:' });
    const repo = new FlowRepository(db);
    repo.save(doc('Bienvenida'));
    repo.save({ ...doc('Soporte 100%'), id: 'support' });
    expect(repo.list({ search: 'bienv' }).map((f) => f.id)).toEqual(['welcome']);
    expect(repo.list({ search: '100%' }).map((f) => f.id)).toEqual(['support']);
    expect(repo.setActive('welcome', true)?.active).toBe(true);
    expect(repo.list({ active: true }).map((f) => f.id)).toEqual(['welcome']);
    const store = new SqliteRunStore(db);
    await store.createRun({
      id: 'r1',
      flowId: 'welcome',
      flowVersion: 1,
      triggerNodeId: 't',
      contactId: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      state: {},
    });
    expect(repo.delete('welcome')).toBe(true);
    expect(repo.delete('welcome')).toBe(false);
    expect(repo.get('welcome')).toBeUndefined();
    expect((await store.getRun('r1'))?.status).toBe('cancelled');
    expect(repo.getVersion('welcome', 1)).toEqual(doc('Bienvenida'));
  });
});

describe('inbound events and outbox', () => {
  it('stores a delivery and its events once, even when delivered again, and survives reopening the file', () => {
    const path = join(dir, 'events.db');
    const db = openDb({ path });
    const events = new EventRepository(db);
    const delivery = (id: string) => ({
      id,
      provider: 'whatsapp',
      channelId: 'default',
      rawBody: Buffer.from('{"a":"é"}'),
      receivedAt: `2026-01-01T00:00:0${id.slice(-1)}.000Z`,
    });
    const event = (key: string) => ({
      id: `ev-${key}-${Math.random()}`,
      providerEventId: key,
      type: 'message.received',
      channelId: 'default',
      waId: '34600000001',
      normalized: { key },
      occurredAt: '2026-01-01T00:00:00.000Z',
    });
    expect(events.storeDelivery(delivery('d1'), [event('msg:1')])).toEqual({
      inserted: ['msg:1'],
      duplicates: [],
    });
    expect(events.storeDelivery(delivery('d2'), [event('msg:1'), event('msg:2')])).toEqual({
      inserted: ['msg:2'],
      duplicates: ['msg:1'],
    });
    closeDb(db);
    const reopened = openDb({ path });
    const again = new EventRepository(reopened);
    expect(again.pending().map((p) => p.providerEventId)).toEqual(['msg:1', 'msg:2']);
    expect(again.deliveryCount()).toBe(2);
    const raw = reopened.$client
      .prepare<[], { raw_body: Buffer }>('select raw_body from webhook_deliveries where id = 1')
      .get();
    expect(raw?.raw_body.toString()).toBe('{"a":"é"}');
    expect(again.list({ waId: '34600000001' }).map((e) => e.providerEventId)).toEqual(['msg:2', 'msg:1']);
  });

  it('moves delivery status only forward, keeping every status in the history', async () => {
    const repo = new OutboxRepository(openDb({ path: ':memory:' }));
    const at = (s: number) => `2026-01-01T00:00:${String(s).padStart(2, '0')}.000Z`;
    repo.enqueue({
      id: 'o1',
      idempotencyKey: 'k1',
      channel: 'default',
      recipient: '34600000001',
      kind: 'text',
      payload: {},
      createdAt: at(0),
    });
    expect(repo.claimDue(at(1), 10).map((r) => r.id)).toEqual(['o1']);
    await repo.markAccepted('o1', 'wamid.A', at(2));
    repo.applyStatus({ providerMessageId: 'wamid.A', status: 'read', at: at(5), error: null });
    repo.applyStatus({ providerMessageId: 'wamid.A', status: 'delivered', at: at(4), error: null });
    repo.applyStatus({ providerMessageId: 'wamid.A', status: 'sent', at: at(3), error: null });
    expect(repo.get('o1')?.status).toBe('read');
    expect(repo.statuses('o1').map((s) => `${s.status}/${s.source}`)).toEqual([
      'queued/api',
      'accepted/api',
      'read/webhook',
      'delivered/webhook',
      'sent/webhook',
    ]);
    const failure = { code: 131026, message: 'Message undeliverable' };
    repo.enqueue({
      id: 'o2',
      idempotencyKey: 'k2',
      channel: 'default',
      recipient: '34600000002',
      kind: 'text',
      payload: {},
      createdAt: at(0),
    });
    repo.claimDue(at(1), 10);
    await repo.markAccepted('o2', 'wamid.B', at(2));
    repo.applyStatus({ providerMessageId: 'wamid.B', status: 'failed', at: at(3), error: failure });
    expect(repo.get('o2')).toMatchObject({ status: 'failed', lastError: failure });
    expect(
      repo.applyStatus({ providerMessageId: 'wamid.unknown', status: 'read', at: at(3), error: null }),
    ).toBeUndefined();
    expect(repo.retryNow('o2', at(9))?.status).toBe('queued');
    expect(repo.retryNow('o1', at(9))).toBeUndefined();
  });

  it('returns the first outbox row for a repeated idempotency key', () => {
    const repo = new OutboxRepository(openDb({ path: ':memory:' }));
    const input = {
      id: 'o1',
      idempotencyKey: 'run1:send',
      channel: 'default',
      recipient: '34600000001',
      kind: 'text',
      payload: { text: 'hola' },
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    expect(repo.enqueue(input)).toMatchObject({ created: true, row: { id: 'o1' } });
    expect(repo.enqueue({ ...input, id: 'o2', payload: { text: 'otra vez' } })).toMatchObject({
      created: false,
      row: { id: 'o1', payload: { text: 'hola' } },
    });
  });
});

describe('executions list', () => {
  it('filters and pages newest first without skipping or repeating rows', async () => {
    const db = openDb({ path: ':memory:' });
    const store = new SqliteRunStore(db);
    for (let i = 0; i < 7; i++) {
      await store.createRun({
        id: `r${i}`,
        flowId: i % 2 ? 'odd' : 'even',
        flowVersion: 1,
        triggerNodeId: 't',
        contactId: i < 3 ? 'c1' : null,
        createdAt: `2026-01-01T00:00:0${i}.000Z`,
        state: {},
      });
    }
    const page1 = listRuns(db, { limit: 3 });
    const page2 = listRuns(db, { limit: 3, cursor: page1.nextCursor! });
    const page3 = listRuns(db, { limit: 3, cursor: page2.nextCursor! });
    expect([...page1.items, ...page2.items, ...page3.items].map((r) => r.id)).toEqual([
      'r6',
      'r5',
      'r4',
      'r3',
      'r2',
      'r1',
      'r0',
    ]);
    expect(page3.nextCursor).toBeNull();
    expect(listRuns(db, { flowId: 'odd' }).items.map((r) => r.id)).toEqual(['r5', 'r3', 'r1']);
    expect(listRuns(db, { contactId: 'c1', status: 'queued' }).items).toHaveLength(3);
  });
});
