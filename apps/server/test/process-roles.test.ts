import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import {
  describeIfServices,
  freshPostgresEnv,
  scaleOutServicesMissing,
  TEST_REDIS_URL,
} from './in-process.js';
import { crashLab, waitFor } from './process-helpers.js';

// SWITCHBOARD_ROLE on one Postgres database: a web process stores and answers, a worker process
// dispatches, runs flows and sends. Real processes (the built server).

const triage = JSON.parse(
  readFileSync(new URL('../../../workflows/support-triage.workflow.json', import.meta.url), 'utf8'),
);
const KEY = 'roles-test-key-0123456789';

const missing = await scaleOutServicesMissing();

describeIfServices(missing, 'web and worker processes on one Postgres database', () => {
  const lab = crashLab();
  afterAll(() => lab.cleanUp());

  // Without Redis the worker finds the event by polling the database; with it, by the job the web
  // process queued (the worker's sweep would leave an event this young alone for 30 s).
  it.each([
    ['polling Postgres', false],
    ['jobs in Redis (BullMQ)', true],
  ])(
    'the web process only stores; a worker started later dispatches, runs the flow and replies (%s)',
    async (_, redis) => {
      const database = await freshPostgresEnv();
      try {
        const env = {
          ...database.env,
          ...(redis
            ? {
                REDIS_URL: TEST_REDIS_URL,
                SWITCHBOARD_REDIS_PREFIX: `${database.env.SWITCHBOARD_DATABASE_SCHEMA}:`,
              }
            : {}),
          SWITCHBOARD_API_KEY: KEY,
          WHATSAPP_APP_SECRET: 'roles-app-secret',
          WHATSAPP_VERIFY_TOKEN: 'roles-verify',
          WHATSAPP_SANDBOX_STATUS_DELAYS_MS: '20,40,60',
          WHATSAPP_PAIR_SPACING_MS: '0',
        };
        const web = await lab.boot(lab.dataDir(), { ...env, SWITCHBOARD_ROLE: 'web' });
        const api = async (base: string, path: string, init: { method?: string; json?: unknown } = {}) => {
          const res = await fetch(`${base}${path}`, {
            method: init.method ?? 'GET',
            headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
            ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
          });
          // biome-ignore lint/suspicious/noExplicitAny: tests read loosely typed JSON answers
          return { status: res.status, body: (await res.json()) as any };
        };
        expect((await api(web.base, '/api/flows', { method: 'POST', json: triage })).status).toBe(201);
        expect((await api(web.base, '/api/flows/support-triage/activate', { method: 'POST' })).status).toBe(
          200,
        );
        const said = await api(web.base, '/api/sandbox/messages', {
          method: 'POST',
          json: { from: '34610000077', name: 'Marta', text: 'Hola' },
        });
        expect(said.status).toBe(200);
        // Stored and acknowledged, but nothing processes it: no worker yet.
        await new Promise((r) => setTimeout(r, 1500));
        const events = (await api(web.base, '/api/events?waId=34610000077')).body.items;
        expect(events.map((e: { status: string }) => e.status)).toEqual(['pending']);
        expect((await api(web.base, '/api/messages?waId=34610000077')).body.items).toEqual([]);

        const worker = await lab.boot(lab.dataDir(), { ...env, SWITCHBOARD_ROLE: 'worker' });
        // The worker picks the event up, runs the flow, sends the menu; the web process shows it.
        const asked = await waitFor(
          async () => {
            const items = (await api(web.base, '/api/messages?waId=34610000077')).body.items;
            return items.length === 1 && items[0].status === 'read' ? items : undefined;
          },
          redis ? 20_000 : 40_000,
        );
        expect(asked[0].payload).toMatchObject({ type: 'buttons' });
        // The event is marked processed when its job ends, which may be a moment after the menu is read.
        await waitFor(async () => {
          const events = (await api(web.base, '/api/events?waId=34610000077')).body.items;
          return events[0]?.status === 'processed' ? true : undefined;
        }, 15_000);

        // SIGTERM: the worker stops in order (exit code 0).
        worker.proc.kill('SIGTERM');
        expect((await worker.exited).code).toBe(0);
      } finally {
        await lab.killAll(); // their connections hold locks in the schema
        await database.drop();
      }
    },
    90_000,
  );

  it('a business number added through one web process is known to another within seconds', async () => {
    const database = await freshPostgresEnv();
    try {
      const env = {
        ...database.env,
        SWITCHBOARD_API_KEY: KEY,
        WHATSAPP_APP_SECRET: 'roles-app-secret',
        WHATSAPP_VERIFY_TOKEN: 'roles-verify',
        SWITCHBOARD_ROLE: 'web',
      };
      const [a, b] = await Promise.all([lab.boot(lab.dataDir(), env), lab.boot(lab.dataDir(), env)]);
      const handshake = (base: string) =>
        fetch(
          `${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=shop-verify&hub.challenge=4242`,
        ).then((r) => r.status);
      expect(await handshake(b.base)).toBe(403);
      const put = await fetch(`${a.base}/api/channels/shop`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Shop',
          phoneNumberId: '106540352240777',
          accessToken: 'shop-access-token',
          appSecret: 'shop-app-secret',
          verifyToken: 'shop-verify',
        }),
      });
      expect(put.status).toBe(200);
      const started = Date.now();
      await waitFor(async () => (await handshake(b.base)) === 200, 10_000);
      // The other process reloads its channels every 2 s.
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await lab.killAll(); // their connections hold locks in the schema
      await database.drop();
    }
  }, 60_000);
});
