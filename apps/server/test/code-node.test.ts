import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Loose, startWhatsAppServer } from './wa-helpers.js';

let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
beforeAll(async () => {
  s = await startWhatsAppServer();
});
afterAll(() => s.close());

/** Imports a one-node flow with this code and runs it; returns the finished execution. */
async function runCode(id: string, code: string, params: object = {}) {
  const flow = {
    schemaVersion: 1,
    id,
    name: id,
    nodes: [
      { id: 'start', type: 'trigger.manual', position: { x: 0, y: 0 } },
      { id: 'code', type: 'data.code', position: { x: 1, y: 0 }, params: { code, ...params } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'code' }],
  };
  expect((await s.api('/api/flows', { method: 'POST', json: flow })).status).toBe(201);
  const { runId } = (await s.api(`/api/flows/${id}/runs`, { method: 'POST', json: { payload: { n: 21 } } }))
    .body;
  return eventually(async () => {
    const r = (await s.api(`/api/executions/${runId}`)).body as Loose;
    return r.status === 'succeeded' || r.status === 'failed' ? r : undefined;
  });
}

describe('the Code node in isolated-vm, through the server', () => {
  it('computes on the trigger and returns JSON', async () => {
    const r = await runCode('double', 'return { doubled: input.trigger.n * 2 };');
    expect(r.steps.at(-1).output).toEqual({ doubled: 42 });
  });

  it('contains endless loops, memory bombs, huge outputs and escapes, and the server keeps serving', async () => {
    const loop = await runCode('loop', 'for (;;) {}', { timeoutMs: 50 });
    expect(loop.error.message).toMatch(/code failed: the code ran longer than 50 ms/);
    const bomb = await runCode('bomb', 'const a = []; for (;;) a.push(new Array(1e6).fill(1));', {
      memoryMb: 16,
      timeoutMs: 10_000,
    });
    expect(bomb.error.message).toMatch(/code failed: the code used more than 16 MB/);
    const huge = await runCode('huge', 'return "x".repeat(5 * 1024 * 1024);', { memoryMb: 64 });
    expect(huge.error.message).toMatch(/at most 1048576 are kept/);
    const escaped = await runCode(
      'escape',
      'const f = this.constructor.constructor; let p; try { p = typeof f("return process")(); } catch (e) { p = "threw"; } return [typeof process, typeof require, typeof globalThis.fetch, p];',
    );
    const [proc, req, fetchType, viaConstructor] = escaped.steps.at(-1).output;
    expect([proc, req, fetchType]).toEqual(['undefined', 'undefined', 'undefined']);
    expect(['undefined', 'threw']).toContain(viaConstructor); // the constructor chain reaches no host process
    expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
  });
});
