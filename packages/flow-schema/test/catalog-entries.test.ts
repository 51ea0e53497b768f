import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// The real node types, only in this test: flow-schema itself depends on nothing but zod.
import { createRegistry } from '../../nodes/src/index.js';
import { NodeCatalogEntry } from '../src/catalog.js';
import { catalogFromEntries } from '../src/catalog-entries.js';
import type { Problem } from '../src/problems.js';
import { validateFlow } from '../src/validate.js';

// What the server builds its catalog from, and what `GET /api/node-types` sends (after a JSON trip).
const server = createRegistry();
const served = JSON.parse(JSON.stringify({ items: server.entries() })) as { items: unknown[] };
const browser = catalogFromEntries(served.items.map((e) => NodeCatalogEntry.parse(e)));

const examplesDir = new URL('../../../workflows/', import.meta.url);
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.workflow.json'))
  .map((file) => ({ file, doc: JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8')) as Doc }));

type Doc = {
  nodes: Array<{ id: string; type: string; params?: Record<string, unknown> }>;
  edges: Array<{ id: string; sourcePort?: string }>;
} & Record<string, unknown>;

/**
 * The browser must find the same problems at the same paths. Wording may differ in two known ways:
 * a node's own message ("WhatsApp shows at most 20 characters") is not in its JSON Schema, so the
 * browser says zod's generic one; and ports listed in an unknown-port message may come in another order.
 */
function expectSameProblems(doc: unknown, label: string) {
  const expected = validateFlow(doc, server).problems;
  const actual = validateFlow(doc, browser).problems;
  const key = (p: Problem) => `${p.path} ${p.code} ${p.severity}`;
  expect(actual.map(key), label).toEqual(expected.map(key));
  actual.forEach((p, i) => {
    const want = expected[i]!.message;
    if (p.message === want) return;
    if (p.code === 'unknown_port') expect(portsIn(p.message), label).toEqual(portsIn(want));
    else expect(p.message, `${label}: ${p.path} (server: "${want}")`).toMatch(/^(Too big|Too small|Invalid)/);
  });
  return expected;
}

const portsIn = (message: string) => message.split(' are ')[1]?.split(', ').sort();

function variant(doc: Doc, change: (copy: Doc) => void): Doc {
  const copy = structuredClone(doc);
  change(copy);
  return copy;
}

function schemaOf(type: string) {
  return server.get(type)!.toCatalogEntry().paramsSchema as {
    required?: string[];
    properties?: Record<string, { enum?: unknown[] }>;
  };
}

describe('catalogFromEntries', () => {
  it('knows every node type the server serves, with its ports', () => {
    expect(browser.types()).toEqual(server.types());
    for (const type of server.types()) {
      const [real, rebuilt] = [server.get(type)!, browser.get(type)!];
      expect([rebuilt.trigger, rebuilt.pausesRun, rebuilt.category, rebuilt.inputs], type).toEqual([
        real.trigger,
        real.pausesRun,
        real.category,
        real.inputs,
      ]);
      expect(rebuilt.outputsFor({}), type).toEqual(real.outputsFor({}));
    }
  });

  it('finds no problems in any example flow, as the server', () => {
    expect(examples.length).toBeGreaterThan(0);
    for (const { file, doc } of examples) {
      expect(validateFlow(doc, browser).problems, file).toEqual(validateFlow(doc, server).problems);
    }
  });

  it('finds the same problems in broken variants of every example', () => {
    let broken = 0;
    for (const { file, doc } of examples) {
      doc.nodes.forEach((node, n) => {
        const schema = schemaOf(node.type);
        for (const param of schema.required ?? []) {
          const v = variant(doc, (d) => delete d.nodes[n]!.params?.[param]);
          broken += expectSameProblems(v, `${file}: ${node.id} without ${param}`).length;
        }
        for (const [param, prop] of Object.entries(schema.properties ?? {})) {
          if (!prop.enum) continue;
          const v = variant(doc, (d) => {
            d.nodes[n]!.params = { ...d.nodes[n]!.params, [param]: 'not-an-option' };
          });
          broken += expectSameProblems(v, `${file}: ${node.id}.${param} not an option`).length;
        }
        if (Array.isArray(node.params?.buttons)) {
          const v = variant(doc, (d) => {
            (d.nodes[n]!.params!.buttons as Array<{ title: string }>)[0]!.title =
              'A title far too long to show';
          });
          const problems = expectSameProblems(v, `${file}: ${node.id} with a long button title`);
          expect(problems.map((p) => p.path)).toEqual([`$.nodes[${n}].params.buttons[0].title`]);
          broken++;
        }
      });
      doc.edges.forEach((_, e) => {
        const v = variant(doc, (d) => {
          d.edges[e]!.sourcePort = 'nope';
        });
        const problems = expectSameProblems(v, `${file}: edge ${e} from an unknown port`);
        expect(problems.map((p) => p.code)).toContain('unknown_port');
        broken++;
      });
    }
    expect(broken).toBeGreaterThan(100);
  });

  it('finds the same problems for every node type with empty, wrong and unknown params', () => {
    // Rules across fields are zod refinements, which JSON Schema cannot carry: the server reports
    // these on save, the browser does not.
    const refinementsOnly = new Set(['flow.delay $.nodes[1].params.amount']);
    const wrong = {
      zzz: 1,
      to: 5,
      text: 'x'.repeat(5000),
      buttons: [{ id: 'a', title: 'x'.repeat(30) }, { id: 'b' }, {}, {}],
      mode: 'nope',
      cases: [{ port: 'p' }],
      ids: [{ id: 'q' }],
      timeoutSeconds: -1,
    };
    let gapsSeen = 0;
    for (const type of server.types()) {
      const doc = {
        schemaVersion: 1,
        id: 'f',
        name: 'f',
        nodes: [
          { id: 't', type: 'trigger.manual', position: { x: 0, y: 0 } },
          { id: 'empty', type, position: { x: 0, y: 0 }, params: {} },
          { id: 'wrong', type, position: { x: 0, y: 0 }, params: wrong },
        ],
        edges: [
          { id: 'e1', source: 't', target: 'empty' },
          { id: 'e2', source: 'empty', sourcePort: 'bogus', target: 'wrong' },
        ],
      };
      const expected = validateFlow(doc, server).problems;
      const gaps = expected.filter((p) => refinementsOnly.has(`${type} ${p.path}`));
      gapsSeen += gaps.length;
      const actual = validateFlow(doc, browser).problems;
      expect(
        actual.map((p) => `${p.path} ${p.code}`),
        type,
      ).toEqual(expected.filter((p) => !gaps.includes(p)).map((p) => `${p.path} ${p.code}`));
    }
    expect(gapsSeen, 'a known gap is gone: drop it from refinementsOnly').toBe(refinementsOnly.size);
  });
});

describe('ports in the browser', () => {
  // Nodes whose outputs depend on a choice (call-flow's mode, wait-for-event's event) or on a list
  // (buttons) must show the very handles the engine will emit on, in the same order.
  const cases: Array<[string, Record<string, unknown>]> = [
    ['flow.callFlow', { flowId: 'other', mode: 'start' }],
    ['flow.callFlow', { flowId: 'other', mode: 'wait' }],
    ['flow.callFlow', {}],
    ['flow.waitForEvent', { event: 'message.read' }],
    ['flow.waitForEvent', { event: 'webhook' }],
    ['whatsapp.sendAndWait', { text: 'x', buttons: [{ id: 'yes', title: 'Yes' }] }],
    ['whatsapp.sendAndWait', { text: 'x', buttons: [{ id: 'yes', title: '{{ vars.t }}' }] }],
  ];
  it.each(cases)('%s %j has the server’s outputs', (type, params) => {
    expect(browser.get(type)!.outputsFor(params)).toEqual(server.get(type)!.outputsFor(params));
  });
});
