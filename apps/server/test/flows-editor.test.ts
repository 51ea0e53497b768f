import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, flowDoc, type Loose, logNode, startWhatsAppServer } from './wa-helpers.js';

let s: Awaited<ReturnType<typeof startWhatsAppServer>>;

beforeAll(async () => {
  s = await startWhatsAppServer();
});
afterAll(() => s.close());

const post = (path: string, json?: unknown) =>
  s.api(path, { method: 'POST', ...(json !== undefined ? { json } : {}) });
const put = (path: string, json: unknown) => s.api(path, { method: 'PUT', json });
/** A flow with a node of a type that does not exist: shaped like a flow, but invalid. */
const broken = (id: string) => flowDoc(id, [{ id: 'oops', type: 'action.lgo' }], ['start->oops']);
const good = (id: string, message = 'hola') => flowDoc(id, [logNode('log', message)], ['start->log']);

describe('drafts: flows with errors saved as work in progress', () => {
  it('stores a draft with ?draft=true and lists its errors; without it, the same document is refused', async () => {
    expect((await post('/api/flows', broken('wip'))).body.error).toBe('invalid_flow');
    const saved = await post('/api/flows?draft=true', broken('wip'));
    expect(saved.status).toBe(201);
    expect(saved.body.flow).toMatchObject({ id: 'wip', version: 1, valid: false, active: false });
    expect(saved.body.warnings).toEqual([]);
    expect(saved.body.problems).toEqual([
      expect.objectContaining({ path: '$.nodes[1].type', code: 'unknown_node_type', severity: 'error' }),
    ]);
    expect((await s.api('/api/flows/wip')).body).toMatchObject({ valid: false, document: { id: 'wip' } });
    expect((await s.api('/api/flows?search=wip')).body.items[0].valid).toBe(false);
  });

  it('still refuses structural garbage, naming what is wrong', async () => {
    const garbage = { schemaVersion: 1, id: 'junk', name: 'Junk', nodes: [{ id: 'a' }], edges: 'none' };
    const res = await post('/api/flows?draft=true', garbage);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_flow');
    expect(res.body.problems.map((p: Loose) => p.path)).toEqual(
      expect.arrayContaining(['$.nodes[0].type', '$.nodes[0].position', '$.edges']),
    );
    expect((await s.api('/api/flows/junk')).status).toBe(404);
    const badQuery = await post('/api/flows?draft=yes', good('q'));
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.problems[0].path).toBe('$.query.draft');
  });

  it('keeps expression syntax errors in a draft, as invalid_expression', async () => {
    const doc = flowDoc('wip-expr', [logNode('log', 'total {{ vars.total * }}')], ['start->log']);
    const saved = await post('/api/flows?draft=true', doc);
    expect(saved.status).toBe(201);
    expect(saved.body.problems).toEqual([
      expect.objectContaining({ code: 'invalid_expression', path: '$.nodes[1].params.message' }),
    ]);
  });

  it('saves drafts and fixes as versions; a draft never goes live, runs, or replaces a live version', async () => {
    const fixed = await put('/api/flows/wip?draft=true', good('wip'));
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ flow: { version: 2, valid: true }, problems: [] });
    const again = await put('/api/flows/wip?draft=true', broken('wip'));
    expect(again.body.flow).toMatchObject({ version: 3, valid: false });
    expect(
      (await s.api('/api/flows/wip/versions')).body.items.map((v: Loose) => [v.version, v.valid]),
    ).toEqual([
      [3, false],
      [2, true],
      [1, false],
    ]);

    const activate = await post('/api/flows/wip/activate');
    expect(activate.status).toBe(400);
    expect(activate.body.error).toBe('invalid_flow');
    expect(activate.body.problems[0]).toMatchObject({ path: '$.nodes[1].type', code: 'unknown_node_type' });
    expect((await s.api('/api/flows/wip')).body.active).toBe(false);

    const run = await post('/api/flows/wip/runs', { payload: {} });
    expect(run.status).toBe(409);
    expect(run.body.error).toBe('invalid_flow');
    expect(run.body.problems[0].code).toBe('unknown_node_type');

    expect((await put('/api/flows/wip', good('wip', 'v4'))).body.flow).toMatchObject({
      version: 4,
      valid: true,
    });
    expect((await post('/api/flows/wip/activate')).body.active).toBe(true);
    const onLive = await put('/api/flows/wip?draft=true', broken('wip'));
    expect(onLive.status).toBe(409);
    expect(onLive.body.error).toBe('flow_active');
    expect(onLive.body.message).toContain('deactivate');
    expect((await put('/api/flows/wip', broken('wip'))).body.error).toBe('invalid_flow');
    expect((await s.api('/api/flows/wip')).body).toMatchObject({ version: 4, valid: true, active: true });
  });

  it('a call-flow node never runs a draft', async () => {
    await post('/api/flows?draft=true', broken('child-draft'));
    await s.install(
      flowDoc(
        'caller',
        [{ id: 'call', type: 'flow.callFlow', params: { flowId: 'child-draft', version: 'latest' } }],
        ['start->call'],
      ),
      false,
    );
    const run = await s.settled(await s.startRun('caller', {}));
    expect(run.status).toBe('failed');
    expect(run.error.message).toContain('draft');
  });
});

describe('POST /api/flows/validate', () => {
  it('reports every error and warning a save would, and stores nothing', async () => {
    const doc = flowDoc(
      'checked',
      [logNode('log', 'x {{ vars. }}'), { id: 'typo', type: 'action.lgo' }, logNode('alone')],
      ['start->log', 'start->typo'],
    );
    const res = await post('/api/flows/validate', doc);
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.problems.map((p: Loose) => `${p.severity}:${p.code}:${p.path}`)).toEqual(
      expect.arrayContaining([
        'error:invalid_expression:$.nodes[1].params.message',
        'error:unknown_node_type:$.nodes[2].type',
        'warning:unreachable_node:$.nodes[3]',
      ]),
    );
    expect((await s.api('/api/flows/checked')).status).toBe(404);
    expect((await post('/api/flows/validate', good('fine'))).body).toEqual({ ok: true, problems: [] });
    expect((await post('/api/flows/validate', [])).body).toMatchObject({
      ok: false,
      problems: [{ path: '$', code: 'invalid_document' }],
    });
  });
});

describe('duplicate, restore and rename', () => {
  it('duplicates into a new inactive flow named "(copy)", with free ids, or the id asked for', async () => {
    await s.install(good('orders'), true);
    const first = await post('/api/flows/orders/duplicate', {});
    expect(first.status).toBe(201);
    expect(first.body.flow).toMatchObject({
      id: 'orders-copy',
      name: 'orders (copy)',
      active: false,
      version: 1,
    });
    expect((await s.api('/api/flows/orders-copy/export')).body.nodes).toHaveLength(2);
    expect((await post('/api/flows/orders/duplicate', {})).body.flow.id).toBe('orders-copy-2');
    const named = await post('/api/flows/orders/duplicate', { id: 'orders-es', name: 'Pedidos' });
    expect(named.body.flow).toMatchObject({ id: 'orders-es', name: 'Pedidos' });
    const taken = await post('/api/flows/orders/duplicate', { id: 'orders-es' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toBe('flow_exists');
    const bad = await post('/api/flows/orders/duplicate', { id: 'no spaces', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.problems.map((p: Loose) => p.path).sort()).toEqual(['$.body', '$.body.id']);
    expect((await post('/api/flows/nope/duplicate', {})).status).toBe(404);
    await post('/api/flows?draft=true', broken('rough'));
    expect((await post('/api/flows/rough/duplicate', {})).body.flow).toMatchObject({
      id: 'rough-copy',
      valid: false,
    });
  });

  it('restores an earlier version as the new latest (a draft if it has errors); renames with a PUT', async () => {
    await s.install(good('story', 'one'), false);
    const renamed = await put('/api/flows/story', { ...good('story', 'two'), name: 'Historia' });
    expect(renamed.body.flow).toMatchObject({ version: 2, name: 'Historia' });
    const restored = await post('/api/flows/story/versions/1/restore');
    expect(restored.status).toBe(200);
    expect(restored.body.flow).toMatchObject({ version: 3, name: 'story', valid: true });
    expect((await s.api('/api/flows/story/export')).body.nodes[1].params.message).toBe('one');

    await put('/api/flows/story?draft=true', broken('story'));
    await put('/api/flows/story', good('story', 'five'));
    const draftBack = await post('/api/flows/story/versions/4/restore');
    expect(draftBack.body).toMatchObject({ flow: { version: 6, valid: false } });
    expect(draftBack.body.problems[0].code).toBe('unknown_node_type');

    await post('/api/flows/story/versions/5/restore');
    await post('/api/flows/story/activate');
    const refused = await post('/api/flows/story/versions/4/restore');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('flow_active');
    expect((await post('/api/flows/story/versions/99/restore')).status).toBe(404);
    expect((await post('/api/flows/story/versions/zero/restore')).status).toBe(400);
  });
});

describe('executions: time filters and replay', () => {
  it('filters runs by start time, and names a bad filter', async () => {
    await s.install(good('timed'), false);
    const before = new Date(Date.now() - 1000).toISOString();
    const runId = await s.startRun('timed', { n: 1 });
    await s.settled(runId);
    const after = new Date(Date.now() + 1000).toISOString();
    const ids = async (q: string) =>
      (await s.api(`/api/executions?flowId=timed&${q}`)).body.items.map((r: Loose) => r.id);
    expect(await ids(`from=${before}`)).toEqual([runId]);
    expect(await ids(`from=${encodeURIComponent(after)}`)).toEqual([]);
    expect(await ids(`to=${encodeURIComponent(before)}`)).toEqual([]);
    expect(await ids(`from=${before}&to=${after}`)).toEqual([runId]);
    // Offsets are understood: the same instant written in Madrid time.
    const madrid = new Date(Date.parse(before) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    expect(await ids(`from=${encodeURIComponent(madrid)}`)).toEqual([runId]);
    const bad = await s.api('/api/executions?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.problems[0].path).toBe('$.query.from');
    const backwards = await s.api(`/api/executions?from=${after}&to=${before}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.problems[0].path).toBe('$.query.to');
  });

  it('replays a finished run on the current version with the same trigger payload and contact', async () => {
    await s.install(flowDoc('again', [logNode('log', 'n={{ trigger.n }}')], ['start->log']), false);
    const first = await s.settled(await s.startRun('again', { n: 7 }, '34633000001'));
    await put('/api/flows/again', flowDoc('again', [logNode('log', 'v2 n={{ trigger.n }}')], ['start->log']));
    const replay = await post(`/api/executions/${first.id}/replay`);
    expect(replay.status).toBe(201);
    const second = await s.settled(replay.body.runId);
    expect(second).toMatchObject({
      flowId: 'again',
      flowVersion: 2,
      contactId: '34633000001',
      status: 'succeeded',
    });
    expect(second.steps[0].input).toEqual({ n: 7 });
    expect(second.steps[1].input).toEqual({ n: 7 });
    expect((await post('/api/executions/nope/replay')).status).toBe(404);
    await put('/api/flows/again?draft=true', broken('again'));
    const draft = await post(`/api/executions/${first.id}/replay`);
    expect(draft.status).toBe(409);
    expect(draft.body.error).toBe('invalid_flow');
    await s.api('/api/flows/again', { method: 'DELETE' });
    expect((await post(`/api/executions/${first.id}/replay`)).body.error).toBe('flow_deleted');
  });

  it('refuses to replay a run that has not finished', async () => {
    await s.install(
      flowDoc(
        'slow',
        [{ id: 'wait', type: 'flow.delay', params: { amount: 1, unit: 'hours' } }],
        ['start->wait'],
      ),
      false,
    );
    const runId = await s.startRun('slow', {});
    await eventually(async () => ((await s.execution(runId)).status === 'waiting' ? true : undefined));
    const res = await post(`/api/executions/${runId}/replay`);
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('not_finished');
  });

  it('replays a WhatsApp-triggered run on the same channel and contact', async () => {
    const doc = flowDoc('wa-replay', [logNode('log', 'from {{ trigger.waId }}')], ['start->log']) as Loose;
    doc.nodes[0].type = 'trigger.whatsappMessage';
    await s.install(doc, true);
    await post('/api/sandbox/messages', { from: '34633000002', text: 'hola' });
    const [original] = await eventually(async () => {
      const items = (await s.api('/api/executions?flowId=wa-replay&status=succeeded')).body.items;
      return items.length ? items : undefined;
    });
    const replay = await post(`/api/executions/${original.id}/replay`);
    const again = await s.settled(replay.body.runId);
    const first = await s.execution(original.id);
    expect(again.contactId).toBe('34633000002');
    expect(again.steps[0].input).toEqual(first.steps[0].input);
    expect(again.steps[0].input).toMatchObject({ channelId: 'default', waId: '34633000002' });
  });
});

describe('secrets and exports', () => {
  const leaky = (id: string) =>
    flowDoc(
      id,
      [{ ...logNode('log', 'hola'), params: { message: 'hola', data: { api_key: 'sk_live_9f8e7d' } } }],
      ['start->log'],
    );

  it('never stores a secret typed into a node, not even as a draft, and says where it is', async () => {
    for (const path of ['/api/flows?draft=true', '/api/flows']) {
      const res = await post(path, leaky('leaky'));
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([
        expect.objectContaining({ code: 'inline_secret', path: '$.nodes[1].params.data.api_key' }),
      ]);
      expect(JSON.stringify(res.body)).not.toContain('sk_live_9f8e7d');
    }
    expect((await s.api('/api/flows/leaky')).status).toBe(404);
    await post('/api/flows', good('leaky'));
    expect((await put('/api/flows/leaky?draft=true', leaky('leaky'))).status).toBe(400);
    expect((await s.api('/api/flows/leaky')).body.version).toBe(1);
  });

  it('empties an inline secret on export, listing where (for documents stored before this rule)', async () => {
    // Stored through the repository, past the service's checks, as an older server could have stored it.
    const doc = leaky('old-leaky');
    await s.rt.flows.repo.save({ ...doc, description: '' } as never, { valid: false });
    const exported = await s.api('/api/flows/old-leaky/export');
    expect(exported.status).toBe(200);
    expect(JSON.stringify(exported.body)).not.toContain('sk_live_9f8e7d');
    expect(exported.body.nodes[1].params).toEqual({ message: 'hola', data: { api_key: '' } });
    expect(exported.headers['x-switchboard-removed-secrets']).toBe('$.nodes[1].params.data.api_key');
  });
});
