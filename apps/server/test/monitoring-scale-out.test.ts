import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signBody } from '@switchboard/whatsapp';
import { expect, it } from 'vitest';
import {
  describeIfServices,
  freshPostgresEnv,
  scaleOutServicesMissing,
  startInProcess,
} from './in-process.js';
import { eventually, flowDoc, inbound, type Loose, metaBytes } from './wa-helpers.js';

// Two web processes and two workers on one Postgres database (in this process, each a whole runtime):
// the figures of /api/monitoring are the installation's, whichever process answers, and an alert seen by
// both workers notifies once when it fires and once when it resolves.

const KEY = 'mon-scale-key-0123456789';
const APP_SECRET = 'mon-scale-app-secret';
const missing = await scaleOutServicesMissing({ redis: false });

async function receiver() {
  const got: Loose[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(204).end();
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    got,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describeIfServices(missing, 'monitoring with several web and worker processes on Postgres', () => {
  it('sums counters over processes, reads queues from the database, and notifies an incident once', async () => {
    const database = await freshPostgresEnv();
    const r = await receiver();
    const env = {
      ...database.env,
      // With SWITCHBOARD_TEST_SERVER_DB=postgres every runtime also gets REDIS_URL (events as BullMQ
      // jobs): one prefix for all of them; otherwise the workers poll the database.
      SWITCHBOARD_REDIS_PREFIX: `${database.env.SWITCHBOARD_DATABASE_SCHEMA}:`,
      SWITCHBOARD_API_KEY: KEY,
      SWITCHBOARD_SEED_EXAMPLES: 'false',
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify',
      SWITCHBOARD_HTTP_ALLOWLIST: '127.0.0.1',
      SWITCHBOARD_MONITORING_BUCKET_MS: '200',
      SWITCHBOARD_ALERT_EVAL_MS: '100',
      SWITCHBOARD_ALERT_WINDOW_MS: '1000',
    };
    const started: Array<Awaited<ReturnType<typeof startInProcess>>> = [];
    try {
      const web1 = await startInProcess({ ...env, SWITCHBOARD_ROLE: 'web' });
      started.push(web1);
      const web2 = await startInProcess({ ...env, SWITCHBOARD_ROLE: 'web' });
      started.push(web2);
      const api = async (base: string, path: string, init: { method?: string; json?: unknown } = {}) => {
        const res = await fetch(`${base}${path}`, {
          method: init.method ?? 'GET',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
        });
        const text = await res.text();
        const json = res.headers.get('content-type')?.includes('json');
        return { status: res.status, body: json ? JSON.parse(text) : null, text };
      };
      const hook = async (base: string, waId: string, wamid: string) => {
        const raw = metaBytes(
          inbound(waId, wamid, new Date().toISOString(), { type: 'text', text: { body: 'hola' } }),
        );
        const res = await fetch(`${base}/webhooks/whatsapp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, APP_SECRET) },
          body: raw,
        });
        expect(res.status).toBe(200);
      };
      // No worker yet: five events wait, three taken by one web process and two by the other.
      for (let i = 1; i <= 3; i++) await hook(web1.base, `3463000000${i}`, `wamid.so${i}`);
      for (let i = 4; i <= 5; i++) await hook(web2.base, `3463000000${i}`, `wamid.so${i}`);
      const before = await eventually(async () => {
        const m = (await api(web2.base, '/api/monitoring?minutes=5&step=1')).body;
        return m.totals.webhookEvents === 5 ? m : undefined;
      });
      expect(before.now.eventsPending).toBe(5);
      expect(before.now.oldestEventAgeSeconds).toBeGreaterThan(0);
      const metric = async (base: string, name: string) => {
        const text = (await api(base, '/metrics')).text;
        const line = text.split('\n').find((l) => l.startsWith(`${name} `));
        return line ? Number(line.split(' ')[1]) : undefined;
      };
      // On /metrics each web process counts its own; the database gauge is the same in both.
      expect(
        await metric(
          web1.base,
          'switchboard_webhook_events_total{type="message.received",duplicate="false"}',
        ),
      ).toBe(3);
      expect(
        await metric(
          web2.base,
          'switchboard_webhook_events_total{type="message.received",duplicate="false"}',
        ),
      ).toBe(2);
      expect(await metric(web1.base, 'switchboard_events_pending')).toBe(5);
      expect(await metric(web2.base, 'switchboard_events_pending')).toBe(5);

      const rule = await api(web1.base, '/api/alerts', {
        method: 'POST',
        json: {
          name: 'runs parked',
          metric: 'runs_waiting',
          comparison: '>',
          threshold: 0,
          durationSeconds: 0,
          notify: { kind: 'http', target: r.url },
        },
      });
      expect(rule.status).toBe(201);
      const doc = flowDoc(
        'parked',
        [{ id: 'pause', type: 'flow.delay', params: { amount: 1, unit: 'hours' } }],
        ['start->pause'],
      );
      expect((await api(web1.base, '/api/flows', { method: 'POST', json: doc })).status).toBe(201);
      await api(web1.base, '/api/flows/parked/activate', { method: 'POST' });
      const run = await api(web1.base, '/api/flows/parked/runs', { method: 'POST', json: { payload: {} } });
      expect(run.status).toBe(202);

      // Two workers: they process the events, park the run, and both evaluate the rule.
      const workers = await Promise.all([
        startInProcess({ ...env, SWITCHBOARD_ROLE: 'worker' }),
        startInProcess({ ...env, SWITCHBOARD_ROLE: 'worker' }),
      ]);
      started.push(...workers);
      await eventually(async () =>
        (await api(web1.base, '/api/monitoring')).body.now.eventsPending === 0 ? true : undefined,
      );
      const firing = await eventually(async () => r.got[0]);
      expect(firing).toMatchObject({
        type: 'alert.firing',
        incident: { ruleName: 'runs parked', openedValue: 1 },
      });
      await new Promise((done) => setTimeout(done, 600));
      expect(r.got).toHaveLength(1);

      expect(
        (await api(web2.base, `/api/executions/${run.body.runId}/cancel`, { method: 'POST' })).status,
      ).toBeLessThan(300);
      const resolved = await eventually(async () => r.got[1]);
      expect(resolved).toMatchObject({
        type: 'alert.resolved',
        incident: { id: firing.incident.id, resolvedValue: 0 },
      });
      await new Promise((done) => setTimeout(done, 600));
      expect(r.got).toHaveLength(2);
      const incidents = (await api(web2.base, '/api/alerts/incidents')).body.items;
      expect(incidents.map((i: Loose) => i.status)).toEqual(['resolved']);
    } finally {
      for (const s of started.reverse()) await s.close();
      await r.close();
      await database.drop();
    }
  });
});
