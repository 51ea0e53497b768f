import { describe, expect, it } from 'vitest';
import { Flow, type FlowInput } from '../src/flow.js';
import {
  applyOperation,
  connectionProblem,
  type FlowOperation,
  type OperationResult,
} from '../src/operations.js';
import { validateFlow } from '../src/validate.js';
import { catalog } from './catalog-fixture.js';

const at = (x: number, y = 0) => ({ x, y });

/** start → check (if) —true→ reply, —false→ later (delay). Deep-frozen: any mutation throws. */
function sample(extra: Partial<FlowInput> = {}): Flow {
  return deepFreeze(
    Flow.parse({
      schemaVersion: 1,
      id: 'support',
      name: 'Support',
      nodes: [
        { id: 'start', type: 'trigger.manual', position: at(0) },
        { id: 'check', type: 'condition.if', position: at(200) },
        {
          id: 'reply',
          type: 'action.send',
          position: at(400),
          params: { text: 'Hola', to: '{{ trigger.from }}' },
        },
        { id: 'later', type: 'flow.delay', position: at(400, 200), params: { amount: 5 } },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'check' },
        { id: 'e2', source: 'check', sourcePort: 'true', target: 'reply' },
        { id: 'e3', source: 'check', sourcePort: 'false', target: 'later' },
      ],
      ...extra,
    }),
  );
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function ok(result: OperationResult) {
  if (!result.ok) throw new Error(`refused: ${result.code}: ${result.message}`);
  return result;
}

const apply = (flow: Flow, op: FlowOperation) => applyOperation(flow, op, catalog);

describe('applyOperation', () => {
  it('adds a node with a readable id that does not collide, keeping every other object as it was', () => {
    const flow = sample();
    const r = ok(apply(flow, { op: 'addNode', node: { type: 'action.send', position: at(600) } }));
    expect(r.created).toEqual(['send']);
    expect(r.flow).not.toBe(flow);
    expect(r.flow.nodes.slice(0, 4).every((n, i) => n === flow.nodes[i])).toBe(true);
    expect(r.flow.edges).toBe(flow.edges);
    expect(r.flow.settings).toBe(flow.settings);
    expect(r.flow.nodes[4]).toEqual({ id: 'send', type: 'action.send', position: at(600), params: {} });

    const again = ok(apply(r.flow, { op: 'addNode', node: { type: 'action.send', position: at(700) } }));
    const third = ok(apply(again.flow, { op: 'addNode', node: { type: 'action.send', position: at(800) } }));
    expect([again.created, third.created]).toEqual([['send-2'], ['send-3']]);
    // The earlier versions are untouched, so undo is "show the previous flow".
    expect(flow.nodes).toHaveLength(4);
    expect(r.flow.nodes).toHaveLength(5);
  });

  it('adds a node already connected from a port, and refuses a port the node does not have', () => {
    const flow = sample();
    const r = ok(
      apply(flow, {
        op: 'addNode',
        node: { type: 'action.send', position: at(600), label: 'Thanks' },
        connectFrom: { nodeId: 'reply', port: 'out' },
      }),
    );
    expect(r.created).toEqual(['send', 'e4']);
    expect(r.flow.edges.at(-1)).toEqual({
      id: 'e4',
      source: 'reply',
      sourcePort: 'out',
      target: 'send',
      targetPort: 'in',
    });

    expect(
      apply(flow, {
        op: 'addNode',
        node: { type: 'action.send', position: at(600) },
        connectFrom: { nodeId: 'check', port: 'maybe' },
      }),
    ).toEqual({
      ok: false,
      code: 'unknown_port',
      message: 'node "check" (condition.if) has no output "maybe"; its outputs are "true", "false"',
    });
  });

  it('refuses a second trigger, an unknown type and an id already in use', () => {
    const flow = sample();
    expect(apply(flow, { op: 'addNode', node: { type: 'trigger.manual', position: at(0) } })).toEqual({
      ok: false,
      code: 'second_trigger',
      message:
        'a flow has exactly one trigger and this one already has "start" (trigger.manual); remove it first',
    });
    expect(apply(flow, { op: 'addNode', node: { type: 'acton.send', position: at(0) } })).toMatchObject({
      ok: false,
      code: 'unknown_node_type',
      message: 'unknown node type "acton.send"',
    });
    expect(
      apply(flow, { op: 'addNode', node: { id: 'reply', type: 'action.send', position: at(0) } }),
    ).toMatchObject({ ok: false, code: 'duplicate_id' });
    expect(
      apply(flow, { op: 'addNode', node: { id: 'no spaces', type: 'action.send', position: at(0) } }),
    ).toEqual({
      ok: false,
      code: 'invalid_value',
      message: 'node id "no spaces": use letters, digits and _ . : - (starting with a letter or digit)',
    });
    // Without a catalog the types are unknown, so only the document's own rules apply.
    expect(
      applyOperation(flow, { op: 'addNode', node: { type: 'trigger.manual', position: at(0) } }).ok,
    ).toBe(true);
  });

  it('removes nodes with their edges', () => {
    const flow = sample();
    const r = ok(apply(flow, { op: 'removeNodes', ids: ['check'] }));
    expect(r.flow.nodes.map((n) => n.id)).toEqual(['start', 'reply', 'later']);
    expect(r.flow.edges).toEqual([]);
    expect(r.flow.nodes[1]).toBe(flow.nodes[2]);
    expect(apply(flow, { op: 'removeNodes', ids: ['check', 'ghost'] })).toEqual({
      ok: false,
      code: 'unknown_node',
      message: 'no node with id "ghost" in this flow',
    });
  });

  it('moves nodes, replacing only the nodes whose position changed', () => {
    const flow = sample();
    const r = ok(
      apply(flow, {
        op: 'moveNodes',
        moves: [
          { id: 'reply', position: at(420, 10) },
          { id: 'later', position: at(400, 200) }, // where it already is
        ],
      }),
    );
    expect(r.flow.nodes[2]).toEqual({ ...flow.nodes[2], position: at(420, 10) });
    expect(r.flow.nodes.filter((n, i) => n === flow.nodes[i]).map((n) => n.id)).toEqual([
      'start',
      'check',
      'later',
    ]);
    expect(
      apply(flow, { op: 'moveNodes', moves: [{ id: 'reply', position: at(Number.NaN) }] }),
    ).toMatchObject({
      ok: false,
      code: 'invalid_value',
    });
  });

  it('updates a node: params replaced wholesale, null removes a field, bad values refused', () => {
    const flow = sample();
    const labelled = ok(
      apply(flow, {
        op: 'updateNode',
        id: 'reply',
        patch: { params: { text: 'Hello' }, label: 'Answer', onError: 'errorPort', timeoutMs: 5000 },
      }),
    ).flow;
    expect(labelled.nodes[2]).toEqual({
      id: 'reply',
      type: 'action.send',
      position: at(400),
      params: { text: 'Hello' },
      label: 'Answer',
      onError: 'errorPort',
      timeoutMs: 5000,
    });
    expect(labelled.nodes[1]).toBe(flow.nodes[1]);

    const cleared = ok(
      apply(labelled, { op: 'updateNode', id: 'reply', patch: { label: null, timeoutMs: null } }),
    );
    expect(cleared.flow.nodes[2]).not.toHaveProperty('label');
    expect(cleared.flow.nodes[2]).not.toHaveProperty('timeoutMs');
    expect(cleared.flow.nodes[2]?.onError).toBe('errorPort');

    expect(apply(flow, { op: 'updateNode', id: 'reply', patch: { timeoutMs: 0 } })).toEqual({
      ok: false,
      code: 'invalid_value',
      message: 'timeoutMs of node "reply": Too small: expected number to be >=1',
    });
    expect(apply(flow, { op: 'updateNode', id: 'ghost', patch: { label: 'x' } })).toMatchObject({
      ok: false,
      code: 'unknown_node',
    });
  });

  it('connects two nodes, with a fresh edge id', () => {
    const flow = sample();
    const r = ok(apply(flow, { op: 'connect', edge: { source: 'reply', target: 'later' } }));
    expect(r.created).toEqual(['e4']);
    expect(r.flow.edges.at(-1)).toEqual({
      id: 'e4',
      source: 'reply',
      sourcePort: 'out',
      target: 'later',
      targetPort: 'in',
    });
    expect(r.flow.nodes).toBe(flow.nodes);
    expect(
      apply(flow, { op: 'connect', edge: { id: 'e1', source: 'reply', target: 'later' } }),
    ).toMatchObject({
      ok: false,
      code: 'duplicate_id',
    });
  });

  it('disconnects edges by id', () => {
    const flow = sample();
    const r = ok(apply(flow, { op: 'disconnect', ids: ['e2'] }));
    expect(r.flow.edges.map((e) => e.id)).toEqual(['e1', 'e3']);
    expect(r.flow.edges[0]).toBe(flow.edges[0]);
    expect(apply(flow, { op: 'disconnect', ids: ['e9'] })).toEqual({
      ok: false,
      code: 'unknown_edge',
      message: 'no edge with id "e9" in this flow',
    });
  });

  it('updates the flow name and merges settings, refusing values the schema does not allow', () => {
    const flow = sample({ settings: { timezone: 'Europe/Madrid' } });
    const r = ok(
      apply(flow, {
        op: 'updateFlow',
        patch: {
          name: 'Soporte',
          settings: { defaultRetry: { maxTries: 3, backoffMs: 500, maxBackoffMs: 5000, jitter: 0 } },
        },
      }),
    );
    expect(r.flow.name).toBe('Soporte');
    expect(r.flow.settings).toEqual({
      timezone: 'Europe/Madrid',
      errorPolicy: 'failRun',
      defaultRetry: { maxTries: 3, backoffMs: 500, maxBackoffMs: 5000, jitter: 0 },
    });
    expect(r.flow.nodes).toBe(flow.nodes);
    const noRetry = ok(apply(r.flow, { op: 'updateFlow', patch: { settings: { defaultRetry: undefined } } }));
    expect(noRetry.flow.settings).toEqual({ timezone: 'Europe/Madrid', errorPolicy: 'failRun' });

    expect(apply(flow, { op: 'updateFlow', patch: { settings: { timezone: 'Mars/Olympus' } } })).toEqual({
      ok: false,
      code: 'invalid_value',
      message:
        'settings.timezone: is not a known IANA time zone (e.g. "Europe/Madrid", "America/Mexico_City", "UTC")',
    });
    expect(apply(flow, { op: 'updateFlow', patch: { name: '' } })).toEqual({
      ok: false,
      code: 'invalid_value',
      message: 'the flow name: must not be empty',
    });
  });

  it('pastes nodes with fresh ids at an offset, keeping only the edges among them', () => {
    const flow = sample();
    const copied = { nodes: [flow.nodes[1]!, flow.nodes[2]!], edges: [...flow.edges] };
    const r = ok(apply(flow, { op: 'pasteNodes', ...copied, offset: at(50, 50) }));
    expect(r.created).toEqual(['if', 'send', 'e4']);
    expect(r.flow.nodes.slice(4)).toEqual([
      { id: 'if', type: 'condition.if', position: at(250, 50), params: {} },
      { ...flow.nodes[2], id: 'send', position: at(450, 50) },
    ]);
    expect(r.flow.edges.slice(3)).toEqual([
      { id: 'e4', source: 'if', sourcePort: 'true', target: 'send', targetPort: 'in' },
    ]);
    expect(validateFlow(r.flow, catalog).problems.map((p) => p.code)).toEqual([
      'unreachable_node',
      'unreachable_node',
    ]);

    // Pasting the whole flow into itself would bring a second trigger.
    expect(
      apply(flow, { op: 'pasteNodes', nodes: flow.nodes, edges: flow.edges, offset: at(0, 300) }),
    ).toMatchObject({
      ok: false,
      code: 'second_trigger',
    });
    expect(
      apply(flow, {
        op: 'pasteNodes',
        nodes: [{ id: 'x', type: 'action.send', position: { x: 'left' } } as never],
        edges: [],
        offset: at(0),
      }),
    ).toEqual({
      ok: false,
      code: 'invalid_value',
      message: 'pasted node 1 (position.x): Invalid input: expected number, received string',
    });
  });

  it('replaces the whole flow (import, undo), refusing a document that does not parse', () => {
    const flow = sample();
    const other = sample({ name: 'Other' });
    expect(apply(flow, { op: 'replace', flow: other })).toEqual({ ok: true, flow: other, created: [] });
    expect(apply(flow, { op: 'replace', flow: { ...other, name: '' } })).toMatchObject({
      ok: false,
      code: 'invalid_value',
      message: 'the flow (name): must not be empty',
    });
  });
});

describe('connectionProblem', () => {
  it('allows a sound connection', () => {
    expect(
      connectionProblem(sample(), { source: 'reply', sourcePort: 'out', target: 'later' }, catalog),
    ).toBe(null);
  });

  it('refuses edges into a trigger, to unknown nodes, duplicates and self loops', () => {
    const flow = sample();
    expect(connectionProblem(flow, { source: 'reply', target: 'start' }, catalog)).toEqual({
      code: 'edge_into_trigger',
      message: 'trigger node "start" cannot have incoming edges',
    });
    expect(connectionProblem(flow, { source: 'reply', target: 'ghost' }, catalog)).toEqual({
      code: 'unknown_node',
      message: 'the edge ends at node "ghost", which does not exist',
    });
    expect(
      connectionProblem(flow, { source: 'check', sourcePort: 'true', target: 'reply' }, catalog),
    ).toEqual({
      code: 'duplicate_edge',
      message: '"check.true" is already connected to "reply.in" (edge "e2")',
    });
    expect(connectionProblem(flow, { source: 'reply', target: 'reply' }, catalog)).toMatchObject({
      code: 'self_loop',
      message: expect.stringContaining('node "reply" cannot connect to itself'),
    });
    // A node that waits may loop back to itself (ask again after a timeout), as validateFlow allows.
    expect(connectionProblem(flow, { source: 'later', target: 'later' }, catalog)).toBe(null);
  });

  it('knows ports that depend on params and the error port', () => {
    const flow = sample({
      nodes: [
        { id: 'start', type: 'trigger.manual', position: at(0) },
        { id: 'route', type: 'condition.switch', position: at(200), params: { cases: [{ port: 'sales' }] } },
        { id: 'reply', type: 'action.send', position: at(400), params: { text: 'Hola', to: 'x' } },
      ],
      edges: [],
    });
    expect(connectionProblem(flow, { source: 'route', sourcePort: 'sales', target: 'reply' }, catalog)).toBe(
      null,
    );
    expect(
      connectionProblem(flow, { source: 'route', sourcePort: 'support', target: 'reply' }, catalog),
    ).toEqual({
      code: 'unknown_port',
      message: 'node "route" (condition.switch) has no output "support"; its outputs are "sales", "default"',
    });
    expect(
      connectionProblem(flow, { source: 'reply', sourcePort: 'error', target: 'route' }, catalog),
    ).toMatchObject({
      code: 'unknown_port',
    });
    const routed = ok(apply(flow, { op: 'updateNode', id: 'reply', patch: { onError: 'errorPort' } })).flow;
    expect(
      connectionProblem(routed, { source: 'reply', sourcePort: 'error', target: 'route' }, catalog),
    ).toBe(null);
    expect(
      connectionProblem(routed, { source: 'start', target: 'route', targetPort: 'side' }, catalog),
    ).toEqual({
      code: 'unknown_port',
      message: 'node "route" (condition.switch) has no input "side"; its inputs are "in"',
    });
  });

  it('refuses closing a loop with no wait in it, and allows one through a delay', () => {
    const flow = sample();
    expect(connectionProblem(flow, { source: 'reply', target: 'check' }, catalog)).toEqual({
      code: 'cycle_without_wait',
      message:
        'the loop check → reply → check has no wait or delay node, so it would run forever; add a delay or wait node to it',
    });
    expect(connectionProblem(flow, { source: 'later', target: 'check' }, catalog)).toBe(null);
  });

  it('says what validateFlow says about the same edge', () => {
    const flow = sample();
    for (const edge of [
      { source: 'check', sourcePort: 'maybe', target: 'reply' },
      { source: 'reply', target: 'start' },
      { source: 'reply', target: 'check' },
    ]) {
      const problem = connectionProblem(flow, edge, catalog);
      const withEdge = {
        ...flow,
        edges: [...flow.edges, { id: 'new', targetPort: 'in', sourcePort: 'out', ...edge }],
      };
      const reported = validateFlow(withEdge, catalog).problems.map((p) => p.message);
      expect(problem).not.toBe(null);
      expect(reported.map((m) => m.replace('edge "new"', 'the edge'))).toContainEqual(
        problem!.code === 'cycle_without_wait'
          ? expect.stringMatching(/has no wait or delay node/)
          : problem!.message,
      );
    }
  });
});
