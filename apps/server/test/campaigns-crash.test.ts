import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { CART_TEMPLATE } from './campaign-helpers.js';
import { crashLab, waitFor } from './process-helpers.js';
import { type FakeCloudApi, startFakeCloudApi } from './scale-out/fake-cloud-api.js';
import type { Loose } from './wa-helpers.js';

// A campaign to 1,000 contacts, its server SIGKILLed midway (embedded SQLite, a real process) and
// started again: the campaign completes, the Cloud API got each eligible contact exactly once, and the
// counts are exact.

const PHONE_NUMBER_ID = '109988776655443';
const APP_SECRET = 'campaign-crash-secret';
const KEY = 'test-key-0123456789abcdef';
const RATE = 100;
const CONTACTS = 1000;
/** Every tenth contact opted out of marketing: skipped. */
const OPTED_OUT = CONTACTS / 10;
const SENT = CONTACTS - OPTED_OUT;

/** A port free now: the restarted server takes the same one, as a real deployment keeps its address. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => probe.once('listening', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

const waId = (i: number) => `3462${String(i).padStart(7, '0')}`;

function contactsCsv(): string {
  const lines = ['phone,name,tags,attributes,marketing_consent,marketing_source,marketing_at'];
  for (let i = 0; i < CONTACTS; i++)
    lines.push(
      `${waId(i)},Cliente ${i},crash,"{""cart"":""${i} €""}",${i % 10 === 0 ? 'opted_out' : 'opted_in'},web form,2026-01-01T00:00:00Z`,
    );
  return `${lines.join('\n')}\n`;
}

const CART = {
  id: '9000001',
  name: 'carrito_abandonado',
  language: 'es',
  category: 'MARKETING',
  status: 'APPROVED',
  components: [
    { type: 'BODY', text: 'Hola {{1}}, dejaste tu carrito de {{2}} a medias. Termínalo aquí: {{3}}' },
  ],
};

describe('a campaign whose server is SIGKILLed midway', () => {
  const lab = crashLab();
  let fake: FakeCloudApi | undefined;
  afterAll(() => {
    lab.cleanUp();
    fake?.close();
  });

  it('completes after the restart, sending each recipient exactly once, with exact counts', async () => {
    fake = await startFakeCloudApi({
      phoneNumberId: PHONE_NUMBER_ID,
      appSecret: APP_SECRET,
      templates: [CART],
    });
    const env = {
      SWITCHBOARD_API_KEY: KEY,
      WHATSAPP_MODE: 'live',
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_WABA_ID: '5550001',
      WHATSAPP_ACCESS_TOKEN: 'live-token-for-the-fake',
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'campaign-crash-verify',
      WHATSAPP_API_URL: fake.url,
      WHATSAPP_RATE_PER_SECOND: String(RATE),
      WHATSAPP_PAIR_SPACING_MS: '0',
      WHATSAPP_MESSAGING_LIMIT: 'TIER_2K',
      // Meta's status webhooks (retried until answered) reach the restarted server at the same address.
      PORT: String(await freePort()),
    };
    const dataDir = lab.dataDir();
    const first = await lab.boot(dataDir, env);
    fake.statusTarget = `${first.base}/webhooks/whatsapp`;
    const call = async (server: typeof first, path: string, json?: unknown, method = 'POST') => {
      const res = await server.api(path, {
        method,
        ...(json !== undefined ? { body: typeof json === 'string' ? json : JSON.stringify(json) } : {}),
        headers: { 'content-type': typeof json === 'string' ? 'text/csv' : 'application/json' },
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as Loose };
    };
    // The templates are synced at start (from the fake); wait until the campaign can name its template.
    await waitFor(async () => {
      const r = await call(first, '/api/templates?channelId=default', undefined, 'GET');
      return r.body?.items?.length > 0 ? true : undefined;
    }, 20_000);
    const imported = await call(first, '/api/contacts/import', contactsCsv());
    expect(imported.status).toBe(200);
    const created = await call(first, '/api/campaigns', {
      name: 'Crash',
      channelId: 'default',
      template: CART_TEMPLATE,
      audience: { filter: { tags: { all: ['crash'] } } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await call(first, `/api/campaigns/${id}/start`)).body.progress.total).toBe(CONTACTS);

    // Midway: a third of the messages are out.
    await waitFor(() => (fake!.sends.length >= SENT / 3 ? true : undefined), 60_000);
    first.proc.kill('SIGKILL');
    await first.exited;
    const atKill = fake.sends.length;
    expect(atKill).toBeLessThan(SENT);

    const second = await lab.boot(dataDir, env);
    expect(second.base).toBe(first.base);
    const done = await waitFor(async () => {
      const c = (await call(second, `/api/campaigns/${id}`, undefined, 'GET')).body;
      return c?.status === 'completed' && c.counts.sent === SENT ? c : undefined;
    }, 120_000).catch(async (error) => {
      const c = (await call(second, `/api/campaigns/${id}`, undefined, 'GET')).body;
      throw new Error(`${error}: ${JSON.stringify({ campaign: c, sends: fake!.sends.length, atKill })}`);
    });
    // Late duplicates (a resend after the restart) would arrive within moments.
    await new Promise((r) => setTimeout(r, 1000));
    const to = fake.sends.map((s) => s.to);
    const counts = new Map<string, number>();
    for (const t of to) counts.set(t, (counts.get(t) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    expect(counts.size).toBe(SENT);
    for (let i = 0; i < CONTACTS; i++) expect(counts.has(waId(i))).toBe(i % 10 !== 0);
    expect(done.counts).toEqual({
      pending: 0,
      queued: 0,
      sent: SENT,
      delivered: 0,
      read: 0,
      replied: 0,
      failed: 0,
      skipped: OPTED_OUT,
      cancelled: 0,
    });
    expect(done.progress).toEqual({ total: CONTACTS, processed: CONTACTS, percent: 100 });
    const results = (await call(second, `/api/campaigns/${id}/results`, undefined, 'GET')).body;
    expect(results.skipped).toEqual([{ reason: 'opted_out', count: OPTED_OUT }]);
  }, 240_000);
});
