import { expect, it } from 'vitest';
import { AuditCursorError, type AuditEventInput, type AuditRepository } from '../../src/audit-repo.js';
import type { AsyncOf } from '../../src/ports.js';

export const event = (at: string, action: string, more: Partial<AuditEventInput> = {}): AuditEventInput => ({
  at,
  actorKind: 'user',
  actorId: 'u1',
  actorLabel: 'ana@example.com',
  action,
  targetKind: null,
  targetId: null,
  ip: null,
  data: null,
  ...more,
});

const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

/** The behaviours of AuditRepository that callers rely on, on any database. */
export function auditRepoContract(make: () => Promise<AsyncOf<AuditRepository>>): void {
  it('stores events as given and lists them newest first', async () => {
    const repo = await make();
    const first = await repo.insert(
      event(at(0), 'flow.activated', {
        targetKind: 'flow',
        targetId: 'hello',
        ip: '10.0.0.1',
        data: { version: 3, names: ['a', 'b'], nested: { ok: true }, text: 'nul \u0000 é' },
      }),
    );
    const second = await repo.insert(
      event(at(1), 'auth.sign_in_failed', { actorKind: 'anonymous', actorId: null, actorLabel: 'x@y.z' }),
    );
    expect(second).toBeGreaterThan(first);
    expect(await repo.list()).toEqual({
      items: [
        {
          id: second,
          at: at(1),
          actorKind: 'anonymous',
          actorId: null,
          actorLabel: 'x@y.z',
          action: 'auth.sign_in_failed',
          targetKind: null,
          targetId: null,
          ip: null,
          data: null,
        },
        {
          id: first,
          at: at(0),
          actorKind: 'user',
          actorId: 'u1',
          actorLabel: 'ana@example.com',
          action: 'flow.activated',
          targetKind: 'flow',
          targetId: 'hello',
          ip: '10.0.0.1',
          data: { version: 3, names: ['a', 'b'], nested: { ok: true }, text: 'nul \u0000 é' },
        },
      ],
      nextCursor: null,
    });
  });

  it('filters by action or action prefix, actor, target and time', async () => {
    const repo = await make();
    await repo.insert(event(at(0), 'flow.activated', { targetKind: 'flow', targetId: 'hello' }));
    await repo.insert(event(at(1), 'flow.deleted', { targetKind: 'flow', targetId: 'bye' }));
    await repo.insert(event(at(2), 'flowx.other', { targetKind: 'thing', targetId: 'hello' }));
    await repo.insert(
      event(at(3), 'credential.used', {
        actorKind: 'apiKey',
        actorId: 'k1',
        actorLabel: 'CI',
        targetId: 'crm',
      }),
    );
    await repo.insert(
      event(at(4), 'system.start', { actorKind: 'system', actorId: null, actorLabel: 'system' }),
    );
    await repo.insert(event(at(5), 'Flow.Upper'));
    const actions = async (filter: Parameters<AuditRepository['list']>[0]) =>
      (await repo.list(filter)).items.map((e) => e.action);
    expect(await actions({ action: 'flow.deleted' })).toEqual(['flow.deleted']);
    expect(await actions({ action: 'flow.*' })).toEqual(['flow.deleted', 'flow.activated']);
    expect(await actions({ action: 'flow*' })).toEqual(['flowx.other', 'flow.deleted', 'flow.activated']);
    expect(await actions({ action: 'FLOW.*' })).toEqual([]);
    expect(await actions({ action: '*' })).toHaveLength(6);
    expect(await actions({ actor: 'k1' })).toEqual(['credential.used']);
    expect(await actions({ actor: 'CI' })).toEqual(['credential.used']);
    expect(await actions({ actor: 'apiKey' })).toEqual(['credential.used']);
    expect(await actions({ actor: 'system' })).toEqual(['system.start']);
    expect(await actions({ actor: 'nobody' })).toEqual([]);
    expect(await actions({ target: 'flow:hello' })).toEqual(['flow.activated']);
    expect(await actions({ target: 'flow:' })).toEqual(['flow.deleted', 'flow.activated']);
    expect(await actions({ target: 'hello' })).toEqual(['flowx.other', 'flow.activated']);
    expect(await actions({ target: 'crm' })).toEqual(['credential.used']);
    expect(await actions({ since: at(1), until: at(3) })).toEqual(['flowx.other', 'flow.deleted']);
    expect(await actions({ since: at(5) })).toEqual(['Flow.Upper']);
    expect(await actions({ action: 'flow.*', actor: 'u1', since: at(1) })).toEqual(['flow.deleted']);
  });

  it('pages with an opaque cursor, and refuses one it did not return', async () => {
    const repo = await make();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await repo.insert(event(at(i), `e.${i}`)));
    const page1 = await repo.list({ limit: 2 });
    expect(page1.items.map((e) => e.action)).toEqual(['e.4', 'e.3']);
    expect(page1.nextCursor).toBe(Buffer.from(`a${ids[3]}`).toString('base64url'));
    const page2 = await repo.list({ limit: 2, cursor: page1.nextCursor ?? '' });
    expect(page2.items.map((e) => e.action)).toEqual(['e.2', 'e.1']);
    const page3 = await repo.list({ limit: 2, cursor: page2.nextCursor ?? '' });
    expect(page3).toMatchObject({ nextCursor: null });
    expect(page3.items.map((e) => e.action)).toEqual(['e.0']);
    expect((await repo.list({ limit: 5 })).nextCursor).toBeNull();
    // Limits are clamped to 1..500.
    expect((await repo.list({ limit: 0 })).items).toHaveLength(1);
    expect((await repo.list({ limit: 10_000 })).items).toHaveLength(5);
    await expect(repo.list({ cursor: 'bogus' })).rejects.toBeInstanceOf(AuditCursorError);
    await expect(repo.list({ cursor: Buffer.from('a1x').toString('base64url') })).rejects.toThrow(
      'cursor is not one this server returned',
    );
  });
}
