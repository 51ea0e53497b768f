import { describe, expect, it } from 'vitest';
import { validateFlow } from '../src/validate.js';
import { catalog } from './catalog-fixture.js';

const node = (id: string, type: string, params: object = {}) => ({
  id,
  type,
  position: { x: 0, y: 0 },
  params,
});
const edge = (id: string, source: string, target: string, sourcePort = 'out') => ({
  id,
  source,
  sourcePort,
  target,
});
const flow = (nodes: object[], edges: object[], extra: object = {}) => ({
  schemaVersion: 1,
  id: 'f',
  name: 'Flow',
  nodes,
  edges,
  ...extra,
});
const valid = flow(
  [
    node('t', 'trigger.manual'),
    node('if', 'condition.if'),
    node('send', 'action.send', { text: 'Hola', to: '{{ trigger.from }}' }),
  ],
  [edge('e1', 't', 'if'), edge('e2', 'if', 'send', 'true')],
);

describe('validateFlow', () => {
  it('accepts a sound flow and fills in defaults', () => {
    const result = validateFlow(valid, catalog);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.flow?.settings).toEqual({ timezone: 'UTC', errorPolicy: 'failRun' });
    expect(result.flow?.edges[0]).toMatchObject({ sourcePort: 'out', targetPort: 'in' });
  });

  it('lists every problem of a flow broken in every way, each with its path', () => {
    const broken = flow(
      [
        node('t', 'trigger.manual'),
        node('t', 'action.send', { text: 'dup', to: 'x' }), // duplicate id
        node('typo', 'acton.send'), // unknown type
        node('send', 'action.send', { text: '', to: 'x', extra: 1 }), // bad params
        node('t2', 'trigger.manual'), // second trigger
        node('a', 'action.send', { text: 'a', to: 'x' }),
        node('b', 'action.send', { text: 'b', to: 'x' }),
        node('lonely', 'action.send', { text: 'l', to: 'x', accessToken: 'EAAG-secret' }), // unreachable + inline secret
        { id: 'bad node', type: 'action.send', position: { x: 'left' } }, // bad id, bad position, missing params ok
      ],
      [
        edge('e1', 't', 'send'),
        edge('e2', 't', 'ghost'), // dangling target
        edge('e3', 'nobody', 'send'), // dangling source
        edge('e4', 'send', 'a', 'maybe'), // port the node does not have
        edge('e5', 'send', 't'), // edge into a trigger
        edge('e6', 'a', 'b'),
        edge('e7', 'b', 'a'), // cycle a → b → a without a wait
        edge('e1', 'a', 'b'), // duplicate edge id
      ],
      { settings: { timezone: 'Mars/Olympus' }, colour: 'red' },
    );
    const result = validateFlow(broken, catalog);
    expect(result.ok).toBe(false);
    const byCode = result.problems.map((p) => [p.code, p.path]);
    expect(byCode).toEqual(
      expect.arrayContaining([
        ['unknown_property', '$.colour'],
        ['invalid_value', '$.settings.timezone'],
        ['duplicate_id', '$.nodes[1].id'],
        ['unknown_node_type', '$.nodes[2].type'],
        ['invalid_params', '$.nodes[3].params.text'],
        ['multiple_triggers', '$.nodes[4].type'],
        ['inline_secret', '$.nodes[7].params.accessToken'],
        ['unreachable_node', '$.nodes[7]'],
        ['invalid_value', '$.nodes[8].id'],
        ['invalid_value', '$.nodes[8].position.x'],
        ['dangling_edge', '$.edges[1].target'],
        ['dangling_edge', '$.edges[2].source'],
        ['unknown_port', '$.edges[3].sourcePort'],
        ['edge_into_trigger', '$.edges[4].target'],
        ['cycle_without_wait', '$.nodes[5]'],
        ['duplicate_id', '$.edges[7].id'],
      ]),
    );
    const message = (code: string) => result.problems.find((p) => p.code === code)?.message;
    expect(message('unknown_node_type')).toBe('unknown node type "acton.send"; did you mean "action.send"?');
    expect(message('unknown_port')).toBe(
      'node "send" (action.send) has no output "maybe"; its outputs are "out"',
    );
    expect(message('cycle_without_wait')).toMatch(/a → b → a has no wait or delay node/);
    expect(result.problems.find((p) => p.code === 'unreachable_node')?.severity).toBe('warning');
    expect(
      result.problems.filter((p) => p.path.startsWith('$.nodes[3].params')).map((p) => [p.code, p.path]),
    ).toEqual([
      ['unknown_property', '$.nodes[3].params.extra'],
      ['invalid_params', '$.nodes[3].params.text'],
    ]);
  });

  it('reports a flow without a trigger, and one without nodes', () => {
    const noTrigger = validateFlow(flow([node('a', 'action.send', { text: 'x', to: 'y' })], []), catalog);
    expect(noTrigger.problems).toContainEqual(
      expect.objectContaining({ code: 'no_trigger', path: '$.nodes' }),
    );
    const empty = validateFlow(flow([], []), catalog);
    expect(empty.problems.map((p) => p.message)).toEqual([
      'the flow has no nodes, so nothing can start it; add a trigger',
    ]);
  });

  it('allows a loop that passes through a delay', () => {
    const loop = flow(
      [node('t', 'trigger.manual'), node('a', 'condition.if'), node('d', 'flow.delay', { amount: 1 })],
      [edge('e1', 't', 'a'), edge('e2', 'a', 'd', 'false'), edge('e3', 'd', 'a')],
    );
    expect(validateFlow(loop, catalog).problems).toEqual([]);
  });

  it('checks ports of nodes whose outputs depend on params, and the error port', () => {
    const sw = flow(
      [
        node('t', 'trigger.manual'),
        { ...node('sw', 'condition.switch', { cases: [{ port: 'ventas' }] }), onError: 'errorPort' },
        node('d', 'flow.delay', { amount: 1 }),
      ],
      [
        edge('e1', 't', 'sw'),
        edge('e2', 'sw', 'd', 'ventas'),
        edge('e3', 'sw', 'd', 'default'),
        edge('e4', 'sw', 'd', 'error'),
        edge('e5', 'sw', 'd', 'soporte'),
      ],
    );
    const problems = validateFlow(sw, catalog).problems;
    expect(problems.map((p) => p.path)).toEqual(['$.edges[4].sourcePort']);
    expect(problems[0]?.message).toContain('its outputs are "ventas", "default", "error"');
  });

  it('leaves params that hold a {{ reference }} to be checked at run time', () => {
    const templated = flow(
      [
        node('t', 'trigger.manual'),
        node('d', 'flow.delay', { amount: '{{ trigger.minutes }}' }),
        node('s', 'flow.delay', { amount: 'soon' }),
      ],
      [edge('e1', 't', 'd'), edge('e2', 'd', 's')],
    );
    expect(validateFlow(templated, catalog).problems.map((p) => p.path)).toEqual([
      '$.nodes[2].params.amount',
    ]);
  });

  it('finds a self-loop', () => {
    const self = flow(
      [node('t', 'trigger.manual'), node('a', 'condition.if')],
      [edge('e1', 't', 'a'), edge('e2', 'a', 'a', 'true')],
    );
    expect(validateFlow(self, catalog).problems.map((p) => p.code)).toEqual(['cycle_without_wait']);
  });

  it('rejects non-objects and missing lists with a path', () => {
    expect(validateFlow('nope', catalog).problems).toEqual([
      { path: '$', code: 'invalid_document', message: 'a flow must be a JSON object', severity: 'error' },
    ]);
    const missing = validateFlow({ schemaVersion: 1, id: 'x', name: 'x' }, catalog).problems.map(
      (p) => p.path,
    );
    expect(missing).toEqual(expect.arrayContaining(['$.nodes', '$.edges']));
  });

  it('refuses documents from a newer Switchboard', () => {
    const result = validateFlow({ ...valid, schemaVersion: 7 }, catalog);
    expect(result.problems).toEqual([
      expect.objectContaining({ path: '$.schemaVersion', code: 'unsupported_version' }),
    ]);
  });
});
