import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, type EditorSession, withEditor } from './harness.js';

const CUSTOMER = { waId: '34600111222', name: 'Carmen Cliente' };
const FIRST_MESSAGE = 'Hola, no entiendo el cargo de mi factura';
const FLOW_REPLY = 'Gracias, te paso con Facturación';
const AGENT_REPLY = 'Hola Carmen, lo reviso ahora mismo';
const BILLING_AGENT = {
  id: 'berta',
  name: 'Berta Billing',
  email: 'berta@example.com',
  password: 'billing agent 1',
};
const SALES_AGENT = {
  id: 'salva',
  name: 'Salva Sales',
  email: 'salva@example.com',
  password: 'sales agent 12',
};

/** Every customer message goes to the Billing team; the flow says so first. */
const FLOW = {
  schemaVersion: 1,
  id: 'inbox-e2e',
  name: 'Inbox e2e: everything to Billing',
  nodes: [
    { id: 'incoming', type: 'trigger.whatsappMessage', position: { x: 0, y: 0 }, params: {} },
    { id: 'tell', type: 'whatsapp.sendText', position: { x: 240, y: 0 }, params: { text: FLOW_REPLY } },
    {
      id: 'assign',
      type: 'routing.assign',
      position: { x: 480, y: 0 },
      params: { team: 'billing', priority: 'normal', slaMinutes: 30 },
    },
  ],
  edges: [
    { id: 'e1', source: 'incoming', sourcePort: 'out', target: 'tell', targetPort: 'in' },
    { id: 'e2', source: 'tell', sourcePort: 'out', target: 'assign', targetPort: 'in' },
  ],
  settings: { timezone: 'Europe/Madrid', errorPolicy: 'failRun' },
};

interface SandboxSend {
  body: { to?: string; type?: string; text?: { body?: string } };
}

async function post<T = unknown>(s: EditorSession, path: string, body: unknown): Promise<T> {
  const res = await s.server.api(path, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/**
 * A person invited as an agent opens the link in their own browser and creates their account; the
 * admin then makes them an agent of `team` (available). Returns their browser, on the inbox.
 */
async function agentInBrowser(
  s: EditorSession,
  who: typeof BILLING_AGENT,
  team: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const { url } = await post<{ url: string }>(s, '/api/invitations', { role: 'agent' });
  const browser = await s.newContext();
  const { page } = browser;
  await page.goto(url);
  await page.getByTestId('invite-page').waitFor();
  for (const [testId, value] of Object.entries({
    'invite-name': who.name,
    'invite-email': who.email,
    'invite-password': who.password,
    'invite-confirm': who.password,
  }))
    await page.getByTestId(testId).fill(value);
  await page.getByTestId('invite-submit').click();
  // An agent's first page is the inbox.
  await page.getByTestId('inbox-page').waitFor();
  const users = await s.json<{ items: { id: string; email: string }[] }>('/api/users');
  const user = users.items.find((u) => u.email === who.email);
  if (!user) throw new Error(`no user ${who.email} after accepting the invitation`);
  await post(s, '/api/agents', {
    id: who.id,
    name: who.name,
    teams: [team],
    userId: user.id,
    available: true,
  });
  return browser;
}

/** The inbox is open and its live stream connected. */
async function inboxLive(page: Page) {
  await page.getByTestId('inbox-page').waitFor();
  await expect.poll(() => page.getByTestId('inbox-page').getAttribute('data-stream')).toBe('live');
}

describeInBrowser('agent inbox', () => {
  it('a customer routed to Billing appears live in the Billing agent’s inbox (not Sales’), the reply reaches the customer, and after 24 hours only templates can be sent', {
    timeout: 240_000,
  }, async () => {
    await withEditor('inbox', async (s) => {
      await post(s, '/api/teams', { id: 'billing', name: 'Billing' });
      await post(s, '/api/teams', { id: 'sales', name: 'Sales' });
      await post(s, '/api/flows', FLOW);
      await post(s, `/api/flows/${FLOW.id}/activate`, {});

      const billing = await agentInBrowser(s, BILLING_AGENT, 'billing');
      const sales = await agentInBrowser(s, SALES_AGENT, 'sales');
      // The Billing agent's clock is one the test can move (it runs at the normal pace until then).
      await billing.context.clock.install();
      await billing.page.reload();
      await sales.page.reload();
      await inboxLive(billing.page);
      await inboxLive(sales.page);
      await billing.page.getByTestId('inbox-empty').waitFor();
      // The availability switch is the agent's own, and on.
      expect(await billing.page.getByTestId('availability-toggle').isChecked()).toBe(true);
      await billing.page.screenshot({ path: `${s.artifacts}/billing-empty.png` });

      // 1. The customer writes; the flow routes them to Billing. It shows up without a reload.
      await billing.page.evaluate(() => {
        (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
      });
      await post(s, '/api/sandbox/messages', {
        from: CUSTOMER.waId,
        name: CUSTOMER.name,
        text: FIRST_MESSAGE,
      });
      const item = billing.page.locator(`[data-testid^="inbox-item-"][data-wa-id="${CUSTOMER.waId}"]`);
      await item.waitFor();
      expect(
        await billing.page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
      ).toBe(true);
      expect(await item.textContent()).toContain(CUSTOMER.name);
      await item.getByTestId('inbox-sla').waitFor();
      await billing.page.screenshot({ path: `${s.artifacts}/billing-new-conversation.png` });

      // 2. The Sales agent sees nothing: not on screen, and not through the API with their session.
      await sales.page.getByTestId('inbox-empty').waitFor();
      expect(await sales.page.locator(`[data-wa-id="${CUSTOMER.waId}"]`).count()).toBe(0);
      const salesView = await sales.page.evaluate(async () => {
        const res = await fetch('/api/conversations?state=active');
        return ((await res.json()) as { items: unknown[] }).items.length;
      });
      expect(salesView).toBe(0);
      await sales.page.screenshot({ path: `${s.artifacts}/sales-empty.png` });

      // 3. The conversation: the customer's message, and the flow's, labelled as such.
      await item.click();
      const pane = billing.page.getByTestId('inbox-conversation');
      await pane.waitFor();
      await expect
        .poll(() => pane.getByTestId('inbox-msg-in').first().textContent())
        .toContain(FIRST_MESSAGE);
      const flowBubble = pane.locator('[data-testid="inbox-msg-out"][data-source="flow"]');
      await expect.poll(() => flowBubble.first().textContent()).toContain(FLOW_REPLY);
      expect(await flowBubble.first().getByTestId('inbox-flow-label').textContent()).toContain('Flow');
      expect(await pane.getByTestId('composer').getAttribute('data-mode')).toBe('text');

      // 4. The agent replies; the customer (the sandbox) receives it, and the ticks follow its status.
      await pane.getByTestId('composer-text').fill(AGENT_REPLY);
      await pane.getByTestId('composer-send').click();
      const reply = pane.locator('[data-testid="inbox-msg-out"][data-source="agent"]');
      await expect.poll(() => reply.first().textContent()).toContain(AGENT_REPLY);
      await expect
        .poll(async () =>
          (await s.json<{ items: SandboxSend[] }>('/api/sandbox/sends')).items
            .filter((send) => send.body.to?.replace(/^\+/, '') === CUSTOMER.waId)
            .map((send) => send.body.text?.body),
        )
        .toContain(AGENT_REPLY);
      await expect.poll(() => reply.first().getAttribute('data-status')).toMatch(/^(sent|delivered|read)$/);
      await billing.page.screenshot({ path: `${s.artifacts}/billing-replied.png` });

      // The routing step gave it to the Billing agent: it is in "Assigned to me" too.
      await billing.page.getByTestId('inbox-view-mine').click();
      await item.waitFor();
      await billing.page.getByTestId('inbox-view-teams').click();

      // 5. On a phone-sized screen the list and the conversation are two screens.
      await billing.page.setViewportSize({ width: 390, height: 800 });
      expect(await billing.page.getByTestId('inbox-list').isVisible()).toBe(false);
      await pane.getByTestId('inbox-back').click();
      await billing.page.getByTestId('inbox-list').waitFor();
      expect(await billing.page.getByTestId('inbox-conversation').count()).toBe(0);
      await item.click();
      await pane.getByTestId('composer').waitFor();
      await billing.page.screenshot({ path: `${s.artifacts}/billing-phone.png` });
      await billing.page.setViewportSize({ width: 1440, height: 900 });

      // 6. 24 hours later without a word from the customer, free text gives way to a template.
      await billing.context.clock.fastForward(24 * 3_600_000 + 60_000);
      await pane.getByTestId('template-picker').waitFor();
      expect(await pane.getByTestId('composer').getAttribute('data-mode')).toBe('template');
      expect(await pane.getByTestId('composer-text').count()).toBe(0);
      await pane.getByTestId('window-closed').waitFor();
      await billing.page.screenshot({ path: `${s.artifacts}/billing-window-closed.png` });

      // 7. The owner's analytics count what just happened: two messages sent to the customer (the
      //    flow's and the agent's), one conversation opened in Billing; the table exports as CSV.
      const { page } = s;
      await page.getByTestId('nav-analytics').click();
      await page.getByTestId('analytics-page').waitFor();
      await expect.poll(() => page.getByTestId('fig-sent').textContent()).toBe('2');
      await page.getByTestId('chart-messaging-days').waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('table-messaging-days-csv').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(
        /^messaging-days-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/,
      );
      const csv = await readFile((await download.path()) ?? '', 'utf8');
      expect(csv.split(/\r?\n/)[0]).toBe('day,messages,sent,delivered,read,failed,refused');
      await s.stage('analytics-messaging');
      await page.getByTestId('tab-routing').click();
      await expect.poll(() => page.getByTestId('fig-conversations').textContent()).toBe('1');
      expect(await page.getByTestId('table-routing-teams').textContent()).toContain('Billing');
      await s.stage('analytics-routing');
    });
  });
});
