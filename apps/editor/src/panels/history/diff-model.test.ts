import type { Flow } from '@switchboard/flow-schema';
import { describe, expect, it } from 'vitest';
import { buildDiffModel, type Naming } from './diff-model';

const naming: Naming = {
  typeTitle: (type) =>
    ({ 'trigger.manual': 'Manual start', 'whatsapp.sendText': 'Send a message' })[type] ?? type,
  portLabel: (port) => ({ true: 'yes', false: 'no' })[port] ?? port,
};

function flow(patch: Partial<Flow> = {}): Flow {
  return {
    schemaVersion: 1,
    id: 'greet',
    name: 'Greet',
    description: '',
    settings: { timezone: 'UTC', errorPolicy: 'failRun' },
    nodes: [
      { id: 'start', type: 'trigger.manual', position: { x: 0, y: 0 }, params: {} },
      { id: 'check', type: 'condition.if', position: { x: 200, y: 0 }, params: {}, label: 'Has a name?' },
      { id: 'hello', type: 'whatsapp.sendText', position: { x: 400, y: 0 }, params: { text: 'Hi' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'out', target: 'check', targetPort: 'in' },
      { id: 'e2', source: 'check', sourcePort: 'true', target: 'hello', targetPort: 'in' },
    ],
    ...patch,
  } as Flow;
}

describe('buildDiffModel', () => {
  it('is empty for equal versions', () => {
    const model = buildDiffModel(flow(), flow(), naming);
    expect(model).toEqual({ flowFields: [], nodes: [], edges: [], moved: [], count: 0 });
  });

  it('groups param changes by node, titled by label or catalog title, with params paths relative', () => {
    const before = flow();
    const after = flow({
      nodes: before.nodes.map((n) => (n.id === 'hello' ? { ...n, params: { text: 'Hola' } } : n)),
    });
    const model = buildDiffModel(before, after, naming);
    expect(model.nodes).toEqual([
      {
        id: 'hello',
        kind: 'changed',
        title: 'Send a message',
        typeTitle: null,
        fields: [{ path: 'text', param: true, before: 'Hi', after: 'Hola' }],
      },
    ]);
    expect(model.count).toBe(1);
  });

  it('names a labelled node by its label and keeps the type title apart', () => {
    const before = flow();
    const after = flow({ nodes: before.nodes.filter((n) => n.id !== 'check'), edges: [] });
    const model = buildDiffModel(before, after, naming);
    expect(model.nodes).toEqual([
      { id: 'check', kind: 'removed', title: 'Has a name?', typeTitle: 'condition.if', fields: [] },
    ]);
    expect(model.edges.map((e) => [e.kind, e.text])).toEqual([
      ['removed', 'Manual start → Has a name?'],
      ['removed', 'Has a name? (yes) → Send a message'],
    ]);
  });

  it('shows the params of an added node, so its message can be read', () => {
    const before = flow();
    const after = flow({
      nodes: [
        ...before.nodes,
        { id: 'bye', type: 'whatsapp.sendText', position: { x: 600, y: 0 }, params: { text: 'Adiós' } },
      ],
    });
    expect(buildDiffModel(before, after, naming).nodes).toEqual([
      {
        id: 'bye',
        kind: 'added',
        title: 'Send a message',
        typeTitle: null,
        fields: [{ path: 'text', param: true, after: 'Adiós' }],
      },
    ]);
  });

  it('names edges from the side they exist on, even when an id is reused', () => {
    const before = flow();
    const after = flow({
      edges: [
        { id: 'e1', source: 'start', sourcePort: 'out', target: 'check', targetPort: 'in' },
        { id: 'e2', source: 'check', sourcePort: 'false', target: 'hello', targetPort: 'in' },
      ],
    });
    const model = buildDiffModel(before, after, naming);
    expect(model.edges).toEqual([
      { id: 'e2', kind: 'added', text: 'Has a name? (no) → Send a message' },
      { id: 'e2', kind: 'removed', text: 'Has a name? (yes) → Send a message' },
    ]);
  });

  it('keeps moves apart and does not count them', () => {
    const before = flow();
    const after = flow({
      name: 'Greet everyone',
      nodes: before.nodes.map((n) => (n.id === 'start' ? { ...n, position: { x: 10, y: 50 } } : n)),
    });
    const model = buildDiffModel(before, after, naming);
    expect(model.moved).toEqual([{ id: 'start', title: 'Manual start' }]);
    expect(model.flowFields).toEqual([
      { path: 'name', param: false, before: 'Greet', after: 'Greet everyone' },
    ]);
    expect(model.count).toBe(1);
  });

  it('marks node fields outside params as such', () => {
    const before = flow();
    const after = flow({
      nodes: before.nodes.map((n) => (n.id === 'hello' ? { ...n, notes: 'ask Ana' } : n)),
    });
    expect(buildDiffModel(before, after, naming).nodes[0]?.fields).toEqual([
      { path: 'notes', param: false, after: 'ask Ana' },
    ]);
  });
});
