import type { RunStore } from '@switchboard/engine';
import type { RunSummary } from '@switchboard/flow-schema';
import { expect, it } from 'vitest';
import { CursorError, type RunFilter } from '../../src/run-queries.js';
import { queuedRun } from './flows-area-fixtures.js';

export interface RunQueriesFixture {
  listRuns: (filter: RunFilter) => Promise<{ items: RunSummary[]; nextCursor: string | null }>;
  store: RunStore;
}

export function runQueriesContract(make: () => Promise<RunQueriesFixture>): void {
  it('filters and pages newest first without skipping or repeating rows', async () => {
    const { listRuns, store } = await make();
    for (let i = 0; i < 7; i++) {
      await queuedRun(store, `r${i}`, {
        flowId: i % 2 ? 'odd' : 'even',
        contactId: i < 3 ? 'c1' : null,
        createdAt: `2026-01-01T00:00:0${i}.000Z`,
      });
    }
    const page1 = await listRuns({ limit: 3 });
    const page2 = await listRuns({ limit: 3, cursor: page1.nextCursor ?? '' });
    const page3 = await listRuns({ limit: 3, cursor: page2.nextCursor ?? '' });
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
    expect((await listRuns({ flowId: 'odd' })).items.map((r) => r.id)).toEqual(['r5', 'r3', 'r1']);
    expect((await listRuns({ contactId: 'c1', status: 'queued' })).items).toHaveLength(3);
    expect((await listRuns({ status: 'running' })).items).toEqual([]);
    const window = { from: '2026-01-01T00:00:02.000Z', to: '2026-01-01T00:00:05.000Z' };
    expect((await listRuns(window)).items.map((r) => r.id)).toEqual(['r4', 'r3', 'r2']);
    expect(page1.items[0]).toEqual({
      id: 'r6',
      flowId: 'even',
      flowVersion: 1,
      status: 'queued',
      triggerNodeId: 't',
      contactId: null,
      error: null,
      createdAt: '2026-01-01T00:00:06.000Z',
      startedAt: null,
      finishedAt: null,
      wakeAt: null,
    });
  });

  it('pages through runs created at the same time by id, in byte order', async () => {
    const { listRuns, store } = await make();
    for (const id of ['a', 'B', 'c', 'D', 'e']) await queuedRun(store, id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listRuns({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['e', 'c', 'a', 'D', 'B']);
  });

  it('clamps the page size and rejects a cursor it did not hand out', async () => {
    const { listRuns, store } = await make();
    for (let i = 0; i < 3; i++) await queuedRun(store, `r${i}`, { createdAt: `2026-01-01T00:00:0${i}.000Z` });
    expect((await listRuns({ limit: 0 })).items).toHaveLength(1);
    expect((await listRuns({})).items).toHaveLength(3);
    await expect(listRuns({ cursor: 'bm9wZQ' })).rejects.toBeInstanceOf(CursorError);
  });
}
