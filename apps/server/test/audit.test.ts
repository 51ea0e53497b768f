import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeData } from '../src/audit/recorder.js';
import { type CapturedServer, secretsFound, startCapturedServer } from './captured-server.js';
import { type FakeServer, startRecorder } from './fakes/recorder.js';
import { tempDir, waitFor } from './process-helpers.js';
import { flowDoc, type Loose, logNode } from './wa-helpers.js';

const OWNER = { email: 'owner@audit.example', name: 'Olga Owner', password: 'owner-pass-SECRET-123' };
const BEARER = 'tok-SECRET-audit-bearer-0042';
const BEARER_2 = 'tok-SECRET-audit-bearer-0043';
const CHANNEL = {
  name: 'Support',
  phoneNumberId: '106540352240001',
  accessToken: 'EAAG-SECRET-audit-access-token',
  appSecret: 'SECRET-audit-app-secret',
  verifyToken: 'SECRET-audit-verify',
};

describe('the audit log', () => {
  const dataDir = tempDir('sb-audit-');
  let s: CapturedServer;
  let fake: FakeServer;
  let bot: { id: string; key: string };
  let admin: { id: string; key: string };
  let builderOnly: { key: string };
  const audit = async (query = '', key?: string) => {
    const r = await s.api(`/api/audit${query}`, key ? { key } : {});
    expect(r.status).toBe(200);
    return r.body as { items: Loose[]; nextCursor: string | null };
  };
  const newest = async (action: string) => (await audit(`?action=${action}&limit=1`)).items[0];

  beforeAll(async () => {
    fake = await startRecorder(() => ({ status: 200, json: { ok: true } }));
    s = await startCapturedServer(dataDir);
    const key = async (name: string, role: string) => {
      const r = await s.api('/api/api-keys', { method: 'POST', json: { name, role } });
      expect(r.status).toBe(201);
      return r.body as { id: string; key: string };
    };
    bot = await key('ci-bot', 'builder');
    admin = await key('ops-admin', 'admin');
    builderOnly = await key('viewer-ish', 'builder');
  });
  afterAll(async () => {
    await s?.close();
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records flow changes with the API key that made them', async () => {
    const as = { key: bot.key };
    const doc = flowDoc('audited', [logNode('hello')], ['start->hello']);
    expect((await s.api('/api/flows', { method: 'POST', json: doc, ...as })).status).toBe(201);
    const changed = {
      ...doc,
      nodes: doc.nodes.map((n) => (n.id === 'hello' ? { ...n, params: { message: 'hi' } } : n)),
    };
    expect((await s.api('/api/flows/audited', { method: 'PUT', json: changed, ...as })).status).toBe(200);
    // Saving the same document again stores nothing, and records nothing.
    expect((await s.api('/api/flows/audited', { method: 'PUT', json: changed, ...as })).status).toBe(200);
    expect((await s.api('/api/flows/audited/activate', { method: 'POST', ...as })).status).toBe(200);
    expect((await s.api('/api/flows/audited/activate', { method: 'POST', ...as })).status).toBe(200);
    expect((await s.api('/api/flows/audited/deactivate', { method: 'POST', ...as })).status).toBe(200);
    expect((await s.api('/api/flows/audited/versions/1/restore', { method: 'POST', ...as })).status).toBe(
      200,
    );
    expect(
      (await s.api('/api/flows/audited/duplicate', { method: 'POST', json: { id: 'audited-copy' }, ...as }))
        .status,
    ).toBe(201);
    expect((await s.api('/api/flows/audited-copy', { method: 'DELETE', ...as })).status).toBe(204);

    const flows = (await audit('?action=flow.*')).items;
    expect(flows.map((e) => `${e.action} ${e.target.kind}:${e.target.id}`)).toEqual([
      'flow.deleted flow:audited-copy',
      'flow.created flow:audited-copy',
      'flow.restored flow:audited',
      'flow.deactivated flow:audited',
      'flow.activated flow:audited',
      'flow.updated flow:audited',
      'flow.created flow:audited',
    ]);
    for (const e of flows) expect(e.actor).toEqual({ kind: 'apiKey', id: bot.id, label: 'ci-bot' });
    expect(flows[0].ip).toMatch(/127\.0\.0\.1/);
    expect(flows.find((e) => e.action === 'flow.restored').data).toMatchObject({
      fromVersion: 1,
      version: 3,
    });
    expect(flows[1].data).toMatchObject({ copiedFrom: 'audited', version: 1 });
  });

  it('records credential changes by the owner key, and their use (once a minute) by the system', async () => {
    const created = await s.api('/api/credentials', {
      method: 'POST',
      json: { name: 'echo', type: 'httpBearer', data: { token: BEARER, baseUrl: fake.url } },
    });
    expect(created.status).toBe(201);
    await s.api('/api/credentials/echo', {
      method: 'PUT',
      json: { type: 'httpBearer', data: { token: BEARER_2, baseUrl: fake.url } },
    });
    const flow = flowDoc(
      'uses-echo',
      [{ id: 'call', type: 'http.request', params: { url: '/x', credential: 'echo' } }],
      ['start->call'],
    );
    expect((await s.api('/api/flows', { method: 'POST', json: flow })).status).toBe(201);
    const runIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const runId = (await s.api('/api/flows/uses-echo/runs', { method: 'POST', json: { payload: {} } })).body
        .runId as string;
      runIds.push(runId);
      await waitFor(async () => {
        const r = (await s.api(`/api/executions/${runId}`)).body;
        return r.status === 'succeeded' ? r : undefined;
      });
    }
    expect(fake.requests).toHaveLength(2);
    expect((await s.api('/api/credentials/echo', { method: 'DELETE' })).status).toBe(204);

    const events = (await audit('?target=credential:echo')).items;
    expect(events.map((e) => e.action)).toEqual([
      'credential.deleted',
      'credential.used',
      'credential.replaced',
      'credential.created',
    ]);
    const owner = { kind: 'ownerKey', id: null, label: 'owner key (SWITCHBOARD_API_KEY)' };
    expect(events[0].actor).toEqual(owner);
    expect(events[2].actor).toEqual(owner);
    expect(events[1]).toMatchObject({
      actor: { kind: 'system', id: null },
      target: { kind: 'credential', id: 'echo' },
      data: { type: 'httpBearer', runId: runIds[0], nodeId: 'call' },
    });
  });

  it('records channel secrets changing, by name only', async () => {
    const put = (json: object) => s.api('/api/channels/support', { method: 'PUT', json, key: admin.key });
    expect((await put(CHANNEL)).status).toBe(200);
    expect((await put({ ...CHANNEL, accessToken: `${CHANNEL.accessToken}-2` })).status).toBe(200);
    expect((await s.api('/api/channels/support', { method: 'DELETE', key: admin.key })).status).toBe(204);
    const events = (await audit('?target=channel:support')).items;
    expect(events.map((e) => [e.action, e.data?.changed ?? null])).toEqual([
      ['channel.deleted', null],
      ['channel.updated', ['accessToken']],
      ['channel.created', ['accessToken', 'appSecret', 'verifyToken']],
    ]);
    expect(events[0].actor).toEqual({ kind: 'apiKey', id: admin.id, label: 'ops-admin' });
  });

  it('records sign-ins, failed ones and key changes from the accounts service', async () => {
    const setupCode = await s.rt.auth.openSetup();
    const setup = await s.api('/api/auth/setup', {
      method: 'POST',
      json: { ...OWNER, setupCode },
      key: null,
    });
    expect(setup.status).toBe(201);
    const signIn = (password: string) =>
      s.api('/api/auth/sign-in', { method: 'POST', json: { email: OWNER.email, password }, key: null });
    expect((await signIn('wrong-password-SECRET')).status).toBe(401);
    expect((await signIn(OWNER.password)).status).toBe(200);
    const failed = await newest('auth.sign_in_failed');
    expect(failed).toMatchObject({
      actor: { kind: 'anonymous', label: OWNER.email },
      data: { reason: 'wrong_password' },
    });
    const signedIn = await newest('auth.sign_in');
    expect(signedIn).toMatchObject({ actor: { kind: 'user', label: OWNER.email }, target: { kind: 'user' } });
    expect((await audit('?action=api_key.created')).items.map((e) => e.data.targetLabel)).toEqual([
      'viewer-ish',
      'ops-admin',
      'ci-bot',
    ]);
  });

  it('filters by action, actor, target and time, and pages with a cursor', async () => {
    expect((await audit('?actor=ci-bot')).items).toHaveLength(7);
    expect((await audit(`?actor=${bot.id}`)).items).toHaveLength(7);
    expect((await audit('?actor=system')).items.map((e) => e.action)).toEqual(['credential.used']);
    expect((await audit('?action=flow.activated')).items).toHaveLength(1);
    expect((await audit('?target=flow:')).items.length).toBeGreaterThanOrEqual(8);
    expect((await audit('?target=audited-copy')).items).toHaveLength(2);
    const all = (await audit('?limit=500')).items;
    const middle = all[Math.floor(all.length / 2)];
    const since = (await audit(`?since=${encodeURIComponent(middle.at)}&limit=500`)).items;
    expect(since.every((e) => e.at >= middle.at)).toBe(true);
    const until = (await audit(`?until=${encodeURIComponent(middle.at)}&limit=500`)).items;
    expect(until.every((e) => e.at < middle.at)).toBe(true);
    expect(since.length + until.length).toBe(all.length);
    expect((await audit('?since=2999-01-01T00:00:00Z')).items).toEqual([]);

    const pages: Loose[][] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Loose[]; nextCursor: string | null } = await audit(
        `?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      pages.push(page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages.flat().map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(pages.length).toBe(Math.ceil(all.length / 4));

    const bad = await s.api('/api/audit?cursor=nope');
    expect(bad.status).toBe(400);
    expect((await s.api('/api/audit?since=yesterday')).status).toBe(400);
  });

  it('is for owners and admins only', async () => {
    expect((await s.api('/api/audit', { key: builderOnly.key })).status).toBe(403);
    expect((await s.api('/api/audit', { key: admin.key })).status).toBe(200);
    expect((await s.api('/api/audit', { key: null })).status).toBe(401);
  });

  it('never holds a secret', async () => {
    const answers = s.answers.filter((a) => a.includes('"items"') && a.includes('"actor"'));
    expect(answers.length).toBeGreaterThan(10);
    const secrets = [
      OWNER.password,
      'wrong-password-SECRET',
      BEARER,
      BEARER_2,
      CHANNEL.accessToken,
      CHANNEL.appSecret,
      CHANNEL.verifyToken,
      bot.key,
      admin.key,
      s.key,
    ];
    expect(
      secretsFound(
        secrets,
        answers.map((content, i) => ({ label: `/api/audit answer ${i}`, content })),
      ),
    ).toEqual([]);
    // The recorder's safety net drops keys that could hold one, whatever a caller passes.
    expect(safeData({ name: 'x', token: 't', nested: { password: 'p', apiKey: 'k', ok: 1 } })).toEqual({
      name: 'x',
      nested: { ok: 1 },
    });
  });
});
