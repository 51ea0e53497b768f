import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { describeInBrowser, type EditorSession, withEditor } from './harness.js';

/** A receiver on loopback that answers `status()` (204 by default) and keeps every request. */
async function receiver(status: () => number = () => 204) {
  const got: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status()).end();
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/switchboard`,
    got,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * The three HubSpot calls the sync makes, answered as HubSpot does (the server's tests use the full fake
 * in apps/server/test/fakes): no contact found, the contact created, the entry written.
 */
async function miniHubSpot() {
  const calls: Array<{ path: string; body: Record<string, unknown> }> = [];
  const answers: Record<string, unknown> = {
    '/crm/v3/objects/contacts/search': { total: 0, results: [] },
    '/crm/v3/objects/contacts': { id: '5001', properties: {} },
    '/crm/v3/objects/communications': { id: '9001', properties: {} },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      calls.push({ path, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') });
      const answer = req.headers.authorization === 'Bearer pat-na1-e2e-0000-1111' ? answers[path] : undefined;
      res.writeHead(answer ? (path.endsWith('search') ? 200 : 201) : 401, {
        'content-type': 'application/json',
      });
      res.end(JSON.stringify(answer ?? { status: 'error', message: 'no' }));
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** What the receiving system checks, written out apart from the server's code. */
function signedWith(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['x-switchboard-signature']));
  return !!m && m[2] === createHmac('sha256', secret).update(`${m[1]}.${body}`).digest('hex');
}

async function post(s: EditorSession, path: string, body: unknown) {
  const res = await s.server.api(path, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
}

describeInBrowser('editor: integrations', () => {
  it('subscribes a local receiver, shows the secret once, sends a test ping and shows its delivery in the log; sets up CRM sync for a number', {
    timeout: 180_000,
  }, async () => {
    const r = await receiver();
    let downUp = false;
    const down = await receiver(() => (downUp ? 200 : 503));
    const hubspot = await miniHubSpot();
    try {
      await withEditor(
        'integrations',
        async (s) => {
          const { page } = s;
          await page.getByTestId('nav-integrations').click();
          await page.getByTestId('integrations-page').waitFor();
          await s.stage('integrations');

          // 1. A subscription to message.received and run.failed; the secret is shown once.
          await page.getByTestId('sub-url').fill(r.url);
          await page.getByTestId('sub-description').fill('Automation platform');
          await page.getByTestId('sub-type-run.failed').check();
          await page.getByTestId('sub-create').click();
          const secretBox = page.getByTestId('sub-secret');
          await secretBox.waitFor();
          const secret = await secretBox.inputValue();
          expect(secret).toMatch(/^whsec_/);
          await s.stage('secret-shown-once');
          await page.getByTestId('sub-secret-done').click();
          expect(await page.getByTestId('sub-secret').count()).toBe(0);
          const card = page.locator(`[data-url="${r.url}"]`);
          await card.waitFor();
          expect(await card.textContent()).toContain('run.failed');
          const listed = await s.json<{ items: Array<{ id: string; eventTypes: string[] }> }>(
            '/api/subscriptions',
          );
          expect(listed.items.map((x) => x.eventTypes)).toEqual([['message.received', 'run.failed']]);
          expect(JSON.stringify(listed)).not.toContain(secret);

          // 2. A test ping reaches the receiver, signed with that secret, and its delivery shows in the log.
          await card.getByTestId('sub-test').click();
          const delivered = card.locator(
            '[data-testid="delivery"][data-event="ping"][data-status="delivered"]',
          );
          await delivered.waitFor({ timeout: 15_000 });
          expect(await delivered.getByTestId('attempt').count()).toBe(1);
          expect(await delivered.getByTestId('attempt').textContent()).toContain('HTTP 204');
          await s.stage('ping-delivered');
          expect(r.got).toHaveLength(1);
          expect(JSON.parse(r.got[0]!.body)).toMatchObject({ type: 'ping' });
          expect(signedWith(secret, r.got[0]!.headers, r.got[0]!.body)).toBe(true);

          // 3. Disabled from the page: the API says so. The dead-letter view is empty.
          await card.getByTestId('sub-toggle').click();
          await expect.poll(() => card.getByTestId('sub-state').textContent()).toBe('Disabled');
          await expect
            .poll(
              async () =>
                (await s.json<{ items: Array<{ active: boolean }> }>('/api/subscriptions')).items[0]?.active,
            )
            .toBe(false);
          await card.getByTestId('sub-log-view-dead').click();
          await card.getByTestId('sub-log-empty').waitFor();

          // 4. A receiver that is down: its ping ends in the dead-letter list (a short retry window
          //    here), and Replay all delivers it once it is back.
          await page.getByTestId('sub-url').fill(down.url);
          await page.getByTestId('sub-create').click();
          await page.getByTestId('sub-secret-done').click();
          const downCard = page.locator(`[data-url="${down.url}"]`);
          await downCard.getByTestId('sub-test').click();
          await downCard.getByTestId('sub-log-view-dead').click();
          const dead = downCard.locator('[data-testid="delivery"][data-status="dead"]');
          await dead.waitFor({ timeout: 20_000 });
          expect(await dead.getByTestId('attempt').count()).toBeGreaterThan(1);
          expect(await dead.getByTestId('attempt').first().textContent()).toContain('HTTP 503');
          await s.stage('dead-letter');
          downUp = true;
          await downCard.getByTestId('sub-replay-all').click();
          await expect.poll(() => page.getByTestId('int-notice').textContent()).toContain('1 queued again.');
          await downCard.getByTestId('sub-log-view-all').click();
          await downCard
            .locator('[data-testid="delivery"][data-status="delivered"]')
            .waitFor({ timeout: 15_000 });
          expect(down.got.at(-1)?.headers['x-switchboard-event']).toBe('ping');
          await s.stage('replayed');

          // 5. CRM timeline sync for the sandbox number through a stored HubSpot credential.
          await post(s, '/api/credentials', {
            name: 'hubspot-main',
            type: 'hubspot',
            data: { accessToken: 'pat-na1-e2e-0000-1111', baseUrl: hubspot.url },
          });
          await page.reload();
          const crm = page.getByTestId('crm-default');
          await crm.waitFor();
          await expect.poll(() => page.getByTestId('crm-default-state').textContent()).toBe('Not synced');
          await page.getByTestId('crm-default-credential').selectOption('hubspot-main');
          await page.getByTestId('crm-default-log-as').selectOption('communication');
          await page.getByTestId('crm-default-save').click();
          await expect.poll(() => page.getByTestId('crm-default-state').textContent()).toBe('Syncing');
          await s.stage('crm-sync-on');
          expect(await s.json('/api/channels/default/crm-sync')).toMatchObject({
            setting: {
              provider: 'hubspot',
              credential: 'hubspot-main',
              logAs: 'communication',
              enabled: true,
            },
          });
          expect(await page.getByTestId('crm-simulator').count()).toBe(0);

          // 6. A customer writes to the sandbox number: the message lands on HubSpot (the contact made
          //    first) and the page lists it as on the timeline.
          await post(s, '/api/sandbox/messages', {
            from: '34600777888',
            name: 'Elena',
            text: 'Hola, ¿abrís hoy?',
          });
          const record = page.locator('[data-testid="crm-record"][data-status="synced"]');
          await record.waitFor({ timeout: 15_000 });
          expect(await record.textContent()).toContain('Hola, ¿abrís hoy?');
          expect(await record.textContent()).toContain('contact created');
          await s.stage('crm-record-synced');
          expect(hubspot.calls.map((c) => c.path)).toEqual([
            '/crm/v3/objects/contacts/search',
            '/crm/v3/objects/contacts',
            '/crm/v3/objects/communications',
          ]);
          expect(hubspot.calls[2]!.body).toMatchObject({
            properties: { hs_communication_channel_type: 'WHATS_APP' },
            associations: [{ to: { id: '5001' } }],
          });
        },
        {
          env: {
            SWITCHBOARD_HTTP_ALLOWLIST: '127.0.0.1',
            SWITCHBOARD_SUBSCRIPTION_BACKOFF_MS: '100',
            SWITCHBOARD_SUBSCRIPTION_RETRY_WINDOW_MS: '1500',
          },
        },
      );
    } finally {
      await r.close();
      await down.close();
      await hubspot.close();
    }
  });
});
