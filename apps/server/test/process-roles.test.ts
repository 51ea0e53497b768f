import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { describeIfServices, freshPostgresEnv, scaleOutServicesMissing } from './in-process.js';
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

  it('the web process only stores; a worker started later dispatches, runs the flow and replies', async () => {
    const database = await freshPostgresEnv();
    try {
      const env = {
        ...database.env,
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
      const asked = await waitFor(async () => {
        const items = (await api(web.base, '/api/messages?waId=34610000077')).body.items;
        return items.length === 1 && items[0].status === 'read' ? items : undefined;
      }, 40_000);
      expect(asked[0].payload).toMatchObject({ type: 'buttons' });
      expect((await api(web.base, '/api/events?waId=34610000077')).body.items[0].status).toBe('processed');

      // SIGTERM: the worker stops in order (exit code 0).
      worker.proc.kill('SIGTERM');
      expect((await worker.exited).code).toBe(0);
    } finally {
      await database.drop();
    }
  }, 90_000);
});
