import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import {
  describeIfServices,
  freshPostgresEnv,
  scaleOutServicesMissing,
  TEST_REDIS_URL,
} from './in-process.js';
import { crashLab, waitFor } from './process-helpers.js';

// REDIS_URL: two worker processes share one per-number send limit. Both send to a fake Cloud API
// that notes when each message arrives; together they must keep to WHATSAPP_RATE_PER_SECOND.

const KEY = 'shared-limit-key-0123456789';
const RATE = 10;

const missing = await scaleOutServicesMissing({ redis: true });

/** A Cloud API that accepts every send and notes its arrival time. */
async function fakeGraph(): Promise<{ server: Server; url: string; arrivals: number[] }> {
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      arrivals.push(Date.now());
      const to = (JSON.parse(body) as { to?: string }).to ?? '';
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          messaging_product: 'whatsapp',
          contacts: [{ input: to, wa_id: to }],
          messages: [{ id: `wamid.${randomBytes(8).toString('hex')}` }],
        }),
      );
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrivals };
}

describeIfServices(missing, 'a send limit shared by two workers through Redis', () => {
  const lab = crashLab();
  let graph: Awaited<ReturnType<typeof fakeGraph>> | undefined;
  afterAll(() => {
    lab.cleanUp();
    graph?.server.close();
  });

  it('keeps all workers together within the per-number rate', async () => {
    const database = await freshPostgresEnv();
    graph = await fakeGraph();
    try {
      const env = {
        ...database.env,
        SWITCHBOARD_API_KEY: KEY,
        // A bucket of its own on the shared Redis (the key carries the channel, the same in every run).
        REDIS_URL: TEST_REDIS_URL,
        WHATSAPP_MODE: 'live',
        WHATSAPP_PHONE_NUMBER_ID: `77${Date.now()}`,
        WHATSAPP_ACCESS_TOKEN: 'live-token-for-the-fake',
        WHATSAPP_APP_SECRET: 'shared-limit-secret',
        WHATSAPP_VERIFY_TOKEN: 'shared-limit-verify',
        WHATSAPP_API_URL: graph.url,
        WHATSAPP_RATE_PER_SECOND: String(RATE),
        WHATSAPP_PAIR_SPACING_MS: '0',
      };
      const web = await lab.boot(lab.dataDir(), { ...env, SWITCHBOARD_ROLE: 'web' });
      const workers = [
        await lab.boot(lab.dataDir(), { ...env, SWITCHBOARD_ROLE: 'worker' }),
        await lab.boot(lab.dataDir(), { ...env, SWITCHBOARD_ROLE: 'worker' }),
      ];
      const count = 40;
      for (let i = 0; i < count; i++) {
        const res = await fetch(`${web.base}/api/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            to: `3461${String(i).padStart(7, '0')}`,
            message: {
              type: 'template',
              name: 'order_update',
              language: 'es_MX',
              category: 'utility',
              body: { params: [`A-${i}`] },
            },
          }),
        });
        expect(res.status).toBe(202);
      }
      await waitFor(() => (graph!.arrivals.length >= count ? true : undefined), 40_000);
      const times = [...graph.arrivals].sort((a, b) => a - b);
      const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
      // The bucket holds a tenth of a second of tokens (1 here): at most RATE + 1 in any second.
      expect(busiest).toBeLessThanOrEqual(RATE + 1);
      expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(((count - RATE - 1) / RATE) * 1000);
      // Both workers sent: the limit was shared, not one worker doing everything.
      const acceptedNow = () =>
        Promise.all(
          workers.map(async (w) => {
            const text = await (await fetch(`${w.base}/metrics`)).text();
            return Number(/switchboard_outbox_sends_total\{outcome="accepted"\} (\d+)/.exec(text)?.[1] ?? 0);
          }),
        );
      // A worker counts a send once Meta's answer is back, a moment after the fake saw the request.
      const accepted = await waitFor(async () => {
        const a = await acceptedNow();
        return a[0]! + a[1]! >= count ? a : undefined;
      }, 10_000).catch(acceptedNow);
      expect(accepted[0]! + accepted[1]!).toBe(count);
      expect(Math.min(...accepted)).toBeGreaterThan(0);
    } finally {
      await lab.killAll(); // their connections hold locks in the schema
      await database.drop();
    }
  }, 120_000);
});
