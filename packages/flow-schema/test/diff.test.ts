import { describe, expect, it } from 'vitest';
import { diffFlows } from '../src/diff.js';
import { Flow } from '../src/flow.js';
import { applyOperation, type FlowOperation } from '../src/operations.js';
import { catalog } from './catalog-fixture.js';

const at = (x: number, y = 0) => ({ x, y });

const v1 = Flow.parse({
  schemaVersion: 1,
  id: 'support',
  name: 'Support',
  nodes: [
    { id: 'start', type: 'trigger.manual', position: at(0) },
    {
      id: 'route',
      type: 'condition.switch',
      position: at(200),
      params: { cases: [{ port: 'sales' }, { port: 'billing' }] },
      label: 'Route',
    },
    {
      id: 'reply',
      type: 'action.send',
      position: at(400),
      params: { text: 'Hola', to: '{{ trigger.from }}' },
    },
    { id: 'old', type: 'action.send', position: at(400, 200), params: { text: 'Bye', to: 'x' } },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'route' },
    { id: 'e2', source: 'route', sourcePort: 'sales', target: 'reply' },
    { id: 'e3', source: 'route', sourcePort: 'default', target: 'old' },
  ],
});

function edit(flow: Flow, ops: FlowOperation[]): Flow {
  return ops.reduce((f, op) => {
    const r = applyOperation(f, op, catalog);
    if (!r.ok) throw new Error(r.message);
    return r.flow;
  }, flow);
}

describe('diffFlows', () => {
  it('describes a realistic edit for the version history', () => {
    const v2 = edit(v1, [
      { op: 'updateFlow', patch: { name: 'Support (ES)', settings: { timezone: 'Europe/Madrid' } } },
      {
        op: 'updateNode',
        id: 'route',
        patch: { params: { cases: [{ port: 'sales' }, { port: 'refunds' }, { port: 'other' }] } },
      },
      {
        op: 'updateNode',
        id: 'reply',
        patch: { params: { text: '¡Hola!', to: '{{ trigger.from }}' }, label: 'Greet' },
      },
      { op: 'removeNodes', ids: ['old'] },
      { op: 'addNode', node: { type: 'flow.delay', position: at(400, 200), params: { amount: 1 } } },
      { op: 'connect', edge: { source: 'route', sourcePort: 'default', target: 'delay' } },
      { op: 'moveNodes', moves: [{ id: 'start', position: at(-40, 10) }] },
    ]);

    expect(diffFlows(v1, v2)).toEqual([
      {
        kind: 'changed',
        subject: 'flow',
        id: 'support',
        title: 'Support (ES)',
        fields: [
          { path: 'name', before: 'Support', after: 'Support (ES)' },
          { path: 'settings.timezone', before: 'UTC', after: 'Europe/Madrid' },
        ],
      },
      { kind: 'added', subject: 'node', id: 'delay', title: 'flow.delay' },
      { kind: 'removed', subject: 'node', id: 'old', title: 'action.send' },
      {
        kind: 'changed',
        subject: 'node',
        id: 'route',
        title: 'Route',
        fields: [
          { path: 'params.cases[1].port', before: 'billing', after: 'refunds' },
          { path: 'params.cases[2]', after: { port: 'other' } },
        ],
      },
      {
        kind: 'changed',
        subject: 'node',
        id: 'reply',
        title: 'Greet',
        fields: [
          { path: 'label', after: 'Greet' },
          { path: 'params.text', before: 'Hola', after: '¡Hola!' },
        ],
      },
      { kind: 'added', subject: 'edge', id: 'e3', title: 'route.default → delay.in' }, // e3 was free again
      { kind: 'removed', subject: 'edge', id: 'e3', title: 'route.default → old.in' },
      {
        kind: 'moved',
        subject: 'node',
        id: 'start',
        title: 'trigger.manual',
        fields: [{ path: 'position', before: at(0), after: at(-40, 10) }],
      },
    ]);
  });

  it('reports nothing for identical flows, or for an edge redrawn between the same ports', () => {
    expect(diffFlows(v1, structuredClone(v1))).toEqual([]);
    const redrawn = edit(v1, [
      { op: 'disconnect', ids: ['e2'] },
      { op: 'connect', edge: { source: 'route', sourcePort: 'sales', target: 'reply' } },
    ]);
    expect(redrawn.edges.map((e) => e.id)).toEqual(['e1', 'e3', 'e4']);
    expect(diffFlows(v1, redrawn)).toEqual([]);
  });

  it('separates a node moved and changed into a change and a move', () => {
    const v2 = edit(v1, [
      { op: 'moveNodes', moves: [{ id: 'reply', position: at(500) }] },
      {
        op: 'updateNode',
        id: 'reply',
        patch: {
          onError: 'errorPort',
          retry: { maxTries: 3, backoffMs: 1000, maxBackoffMs: 60000, jitter: 0.2 },
        },
      },
    ]);
    expect(diffFlows(v1, v2).map((c) => [c.kind, c.id, c.fields?.map((f) => f.path)])).toEqual([
      ['changed', 'reply', ['retry', 'onError']],
      ['moved', 'reply', ['position']],
    ]);
  });
});
