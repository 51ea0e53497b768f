// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings hold expressions whose template literals are evaluated later
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Loose, startWhatsAppServer } from './wa-helpers.js';

let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
beforeAll(async () => {
  s = await startWhatsAppServer();
});
afterAll(() => s.close());

const at = (x: number) => ({ x, y: 0 });

/** Imports a flow (manual trigger first) and runs it; returns the finished execution. */
async function runFlow(id: string, nodes: object[], payload: object = {}) {
  const flow = {
    schemaVersion: 1,
    id,
    name: id,
    nodes: [{ id: 'start', type: 'trigger.manual', position: at(0) }, ...nodes],
    edges: nodes.map((n, i) => ({
      id: `e${i}`,
      source: i === 0 ? 'start' : (nodes[i - 1] as { id: string }).id,
      sourcePort: i === 0 ? 'out' : 'true',
      target: (n as { id: string }).id,
    })),
    settings: { timezone: 'Europe/Madrid' },
  };
  const created = await s.api('/api/flows', { method: 'POST', json: flow });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const { runId } = (await s.api(`/api/flows/${id}/runs`, { method: 'POST', json: { payload } })).body;
  return eventually(async () => {
    const r = (await s.api(`/api/executions/${runId}`)).body as Loose;
    return r.status === 'succeeded' || r.status === 'failed' ? r : undefined;
  });
}

describe('{{ }} expressions in the server (pooled isolated-vm)', () => {
  it('fails a run whose expression never ends, naming it, while the server keeps serving', async () => {
    const looping = runFlow('loop', [
      {
        id: 'greet',
        type: 'action.log',
        position: at(1),
        params: { message: '{{ (() => { for (;;) {} })() }}' },
      },
    ]);
    expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
    const r = await looping;
    expect(r.status).toBe('failed');
    expect(r.steps.at(-1).error).toEqual({
      code: 'E002',
      retryable: false,
      message:
        'node "greet", param "message": expression {{ (() => { for (;;) {} })() }} failed: ' +
        'the expression ran longer than 50 ms',
    });
    expect((await fetch(`${s.base}/healthz`)).status).toBe(200);

    // A memory bomb takes the shared isolate down; the pool builds a new one for the next run.
    const bomb = await runFlow('bomb', [
      {
        id: 'greet',
        type: 'action.log',
        position: at(1),
        params: { message: '{{ (() => { const a = []; for (;;) a.push(new Array(1e6).fill(1)); })() }}' },
      },
    ]);
    expect(bomb.error.message).toMatch(
      /node "greet", param "message": expression .* failed: the expression (used more than 32 MB|ran longer than 50 ms)/,
    );

    const ok = await runFlow(
      'after-loop',
      [
        {
          id: 'big',
          type: 'condition.expression',
          position: at(1),
          params: { expression: 'trigger.total * 1.21 > 100' },
        },
        {
          id: 'say',
          type: 'condition.if',
          position: at(2),
          params: {
            left: "{{ `Total ${trigger.total * 1.21} EUR, ${format(now, 'YYYY', 'UTC')}` }}",
            right: `Total 121 EUR, ${new Date().getUTCFullYear()}`,
            ignoreCase: false,
          },
        },
      ],
      { total: 100 },
    );
    expect(ok.status).toBe('succeeded');
    expect(ok.steps.map((x: Loose) => x.ports)).toEqual([['out'], ['true'], ['true']]);
  });

  it('sees the run’s contact as stored in the contacts table', async () => {
    const flow = {
      schemaVersion: 1,
      id: 'vip-greeting',
      name: 'VIP greeting',
      nodes: [
        { id: 'in', type: 'trigger.whatsappMessage', position: at(0), params: {} },
        { id: 'tag', type: 'data.updateContact', position: at(1), params: { addTags: ['vip'] } },
        {
          id: 'is-vip',
          type: 'condition.expression',
          position: at(2),
          params: { expression: "contact.tags.includes('vip') && contact.waId === trigger.waId" },
        },
        {
          id: 'hello',
          type: 'whatsapp.sendText',
          position: at(3),
          params: { text: "{{ `¡Hola ${contact.name ?? 'amigo'}! (${contact.tags.join(', ')})` }}" },
        },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'tag' },
        { id: 'e2', source: 'tag', target: 'is-vip' },
        { id: 'e3', source: 'is-vip', sourcePort: 'true', target: 'hello' },
      ],
    };
    expect((await s.api('/api/flows', { method: 'POST', json: flow })).status).toBe(201);
    expect((await s.api('/api/flows/vip-greeting/activate', { method: 'POST' })).status).toBe(200);
    await s.api('/api/sandbox/messages', {
      method: 'POST',
      json: { from: '34611111111', name: 'Marta', text: 'Hola' },
    });
    const sent = await eventually(async () => {
      const items = (await s.api('/api/messages?waId=34611111111')).body.items as Loose[];
      return items.length > 0 ? items : undefined;
    });
    expect(sent[0].payload.text).toBe('¡Hola Marta! (vip)');
  });
});
