import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { connect, dragFromPalette, edgeCount, moveNode, node, nodeIds, zoomOutTo } from './canvas.js';
import { describeInBrowser, type EditorSession, withEditor } from './harness.js';

/** The parts of a flow document this test reads (the e2e suite uses only the HTTP API, no package code). */
interface FlowDoc {
  id: string;
  name: string;
  nodes: { id: string; type: string; params: Record<string, unknown> }[];
  edges: { source: string; sourcePort: string; target: string; targetPort: string }[];
}
interface Run {
  id: string;
  flowId: string;
  status: string;
}
interface Step {
  nodeId: string;
  ports: string[];
}

const FLOW_NAME = 'Precios e2e';
const KEYWORD = 'precio';
const PRICE_REPLY = 'Nuestros planes empiezan en 10 € al mes.';
const HELLO_REPLY = 'Hola 👋 ¿En qué te puedo ayudar?';

const edgeKeys = (doc: FlowDoc) =>
  doc.edges.map((e) => `${e.source}:${e.sourcePort}->${e.target}:${e.targetPort}`).sort();

/** Polls `read` until `check` passes (Playwright's own waiting covers elements, not API answers). */
async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => void,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    try {
      check(value);
      return value;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function selectNode(page: Page, id: string) {
  await node(page, id).click();
  await expect.poll(() => node(page, id).getAttribute('class')).toContain('is-selected');
  await page.getByTestId('inspector').waitFor();
}

async function save(page: Page) {
  await page.getByTestId('save').click();
  await page.getByTestId('unsaved').waitFor({ state: 'detached' });
  await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/Saved/);
}

describeInBrowser('editor: build, save, reload, export/import, simulate', () => {
  it('builds a keyword flow by dragging, keeps it through a reload and an export/import, and runs it in the simulator', {
    timeout: 240_000,
  }, async () => {
    await withEditor('build-save-run', async (s) => {
      const { page } = s;
      await page.getByTestId('flow-list').waitFor();
      await s.stage('flow-list');

      // 1. A new flow, named in the browser's prompt.
      page.once('dialog', (dialog) => void dialog.accept(FLOW_NAME));
      await page.getByTestId('new-flow').click();
      await page.waitForURL(/\/flows\/[^/]+$/);
      const flowId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
      await page.getByTestId('canvas').waitFor();
      expect(await page.getByTestId('flow-name').inputValue()).toBe(FLOW_NAME);
      await s.stage('new-flow');

      // 2. Built from the palette by dragging, then wired handle to handle.
      const trigger = await dragFromPalette(page, 'trigger.whatsappMessage', 0.15, 0.4);
      // The canvas zooms in on a first node; zoom out and put it on the left, as a person would.
      await zoomOutTo(page, 0.85);
      await moveNode(page, trigger, 0.15, 0.4);
      const keyword = await dragFromPalette(page, 'condition.keyword', 0.45, 0.4);
      const priceReply = await dragFromPalette(page, 'whatsapp.sendText', 0.78, 0.2);
      const helloReply = await dragFromPalette(page, 'whatsapp.sendText', 0.78, 0.6);
      expect([trigger, keyword, priceReply, helloReply]).toEqual([
        'whatsapp-message',
        'keyword',
        'send-text',
        'send-text-2',
      ]);
      await s.stage('nodes-dropped');
      await connect(page, trigger, 'out', keyword);
      await connect(page, keyword, 'match', priceReply);
      await connect(page, keyword, 'noMatch', helloReply);
      expect(await edgeCount(page)).toBe(3);
      await s.stage('connected');

      // 3. Configured in the inspector's forms.
      await selectNode(page, keyword);
      await page.getByTestId('param-keywords-input').fill(KEYWORD);
      await page.getByTestId('param-keywords-input').press('Enter');
      await expect.poll(() => page.getByTestId('inspector').textContent()).toContain(KEYWORD);
      await s.stage('keyword-configured');
      await selectNode(page, priceReply);
      await page.getByTestId('param-text').fill(PRICE_REPLY);
      await selectNode(page, helloReply);
      await page.getByTestId('param-text').fill(HELLO_REPLY);
      await s.stage('replies-configured');

      // 4. Saved: the server has exactly what was built.
      await save(page);
      await s.stage('saved');
      const saved = await checkStoredFlow(s, flowId, { trigger, keyword, priceReply, helloReply });

      // 5. A reload shows the same graph and the same params.
      await page.reload();
      await page.getByTestId('canvas').waitFor();
      await expect
        .poll(() => nodeIds(page).then((ids) => ids.sort()))
        .toEqual(saved.nodes.map((n) => n.id).sort());
      await expect.poll(() => edgeCount(page)).toBe(3);
      await selectNode(page, keyword);
      expect(await page.getByTestId('inspector').textContent()).toContain(KEYWORD);
      await selectNode(page, priceReply);
      expect(await page.getByTestId('param-text').inputValue()).toBe(PRICE_REPLY);
      await selectNode(page, helloReply);
      expect(await page.getByTestId('param-text').inputValue()).toBe(HELLO_REPLY);
      await s.stage('reloaded');

      // 6. Export downloads the document; importing it back keeps the flow as it is.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export').click(),
      ]);
      expect(download.suggestedFilename()).toBe(`${flowId}.flow.json`);
      const exportedPath = await download.path();
      const exported = JSON.parse(readFileSync(exportedPath, 'utf8')) as FlowDoc;
      expect(exported.id).toBe(flowId);
      expect(exported.nodes).toEqual(saved.nodes);
      expect(edgeKeys(exported)).toEqual(edgeKeys(saved));
      await page.getByTestId('import-file').setInputFiles(exportedPath);
      await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/Imported/);
      expect(await page.getByTestId('notice').getAttribute('class')).toContain('is-info');
      expect((await nodeIds(page)).sort()).toEqual(saved.nodes.map((n) => n.id).sort());
      expect(await edgeCount(page)).toBe(3);
      await s.stage('reimported');

      // 7. A broken file is refused with the reason shown, and the flow stays intact.
      for (const [name, text, reason] of [
        ['broken.flow.json', '{"schemaVersion": 1, "nodes": [', /broken\.flow\.json is not JSON/],
        ['not-a-flow.json', '{"hello": "world"}', /not-a-flow\.json is not a flow/],
      ] as const) {
        await page
          .getByTestId('import-file')
          .setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
        await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(reason);
        expect(await page.getByTestId('notice').getAttribute('class')).toContain('is-error');
        expect((await nodeIds(page)).sort()).toEqual(saved.nodes.map((n) => n.id).sort());
        expect(await edgeCount(page)).toBe(3);
        await s.stage(`refused-${name.split('.')[0]}`);
      }
      await selectNode(page, priceReply);
      expect(await page.getByTestId('param-text').inputValue()).toBe(PRICE_REPLY);
      if (await page.getByTestId('unsaved').isVisible()) await save(page);
      await checkStoredFlow(s, flowId, { trigger, keyword, priceReply, helloReply });

      // 8. The simulator: the reply matches the branch the typed text should take.
      await page.getByTestId('tab-simulator').click();
      await page.getByTestId('simulator').waitFor();
      // The first time, the simulator asks for a test contact; its form comes filled in. The panel loads
      // its contacts first, so wait until it shows either the form or a usable chat.
      const contactForm = page.getByTestId('sim-contact-save');
      const chatInput = page.getByTestId('sim-input');
      await expect
        .poll(async () => (await contactForm.isVisible()) || (await chatInput.isEnabled().catch(() => false)))
        .toBe(true);
      if (await contactForm.isVisible()) {
        await s.stage('simulator-contact');
        await page.getByTestId('sim-contact-save').click();
      }
      await expect.poll(() => page.getByTestId('sim-input').isEnabled()).toBe(true);
      const runIds: string[] = [];
      for (const [typed, reply, taken, notTaken, port] of [
        [`¿Cuál es el ${KEYWORD}?`, PRICE_REPLY, priceReply, helloReply, 'match'],
        ['Hola, buenas tardes', HELLO_REPLY, helloReply, priceReply, 'noMatch'],
      ] as const) {
        const repliesBefore = await page.getByTestId('sim-msg-out').count();
        await page.getByTestId('sim-input').fill(typed);
        await page.getByTestId('sim-send').click();
        await page.getByTestId('sim-msg-out').nth(repliesBefore).waitFor();
        expect(await page.getByTestId('sim-msg-out').nth(repliesBefore).textContent()).toContain(reply);
        const run = await latestFinishedRun(s, flowId, runIds);
        const steps = (await s.json<{ steps: Step[] }>(`/api/executions/${run.id}`)).steps;
        expect(steps.find((step) => step.nodeId === keyword)?.ports).toEqual([port]);
        expect(steps.map((step) => step.nodeId)).toContain(taken);
        expect(steps.map((step) => step.nodeId)).not.toContain(notTaken);
        runIds.push(run.id);
        await s.stage(`simulated-${port}`);
      }

      // 9. Both runs are in the executions list.
      await page.getByTestId('tab-executions').click();
      for (const runId of runIds) await page.getByTestId(`execution-row-${runId}`).waitFor();
      await s.stage('executions');
    });
  });
});

/** The stored document has the four nodes, three edges and the params typed in the forms. */
async function checkStoredFlow(
  s: EditorSession,
  flowId: string,
  ids: { trigger: string; keyword: string; priceReply: string; helloReply: string },
): Promise<FlowDoc> {
  const doc = (await s.json<{ document: FlowDoc }>(`/api/flows/${flowId}`)).document;
  expect(doc.name).toBe(FLOW_NAME);
  expect(doc.nodes.map((n) => [n.id, n.type])).toEqual([
    [ids.trigger, 'trigger.whatsappMessage'],
    [ids.keyword, 'condition.keyword'],
    [ids.priceReply, 'whatsapp.sendText'],
    [ids.helloReply, 'whatsapp.sendText'],
  ]);
  const params = (id: string) => doc.nodes.find((n) => n.id === id)?.params;
  expect(params(ids.keyword)?.keywords).toEqual([KEYWORD]);
  expect(params(ids.priceReply)?.text).toBe(PRICE_REPLY);
  expect(params(ids.helloReply)?.text).toBe(HELLO_REPLY);
  expect(edgeKeys(doc)).toEqual(
    [
      `${ids.trigger}:out->${ids.keyword}:in`,
      `${ids.keyword}:match->${ids.priceReply}:in`,
      `${ids.keyword}:noMatch->${ids.helloReply}:in`,
    ].sort(),
  );
  return doc;
}

/** The newest run of the flow not seen before, once it has finished. */
async function latestFinishedRun(s: EditorSession, flowId: string, seen: string[]): Promise<Run> {
  const runs = await eventually(
    () => s.json<{ items: Run[] }>(`/api/executions?flowId=${encodeURIComponent(flowId)}`),
    ({ items }) => {
      const fresh = items.filter((r) => !seen.includes(r.id));
      expect(fresh).toHaveLength(1);
      expect(fresh[0]?.status).toBe('succeeded');
    },
  );
  return runs.items.find((r) => !seen.includes(r.id))!;
}
