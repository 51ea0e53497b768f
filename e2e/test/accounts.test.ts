import type { Page, Request } from 'playwright-core';
import { expect, it } from 'vitest';
import { node, nodeIds } from './canvas.js';
import { describeInBrowser, withEditor } from './harness.js';

const OWNER = { name: 'Olga Owner', email: 'olga@example.com', password: 'correct horse battery' };
const VIEWER = { name: 'Víctor Viewer', email: 'victor@example.com', password: 'staple of the viewer' };
const FLOW_NAME = 'Accounts e2e';

/** The main page's nav shows who is signed in. */
async function expectSignedInAs(page: Page, name: string, role: string) {
  await expect.poll(() => page.getByTestId('user-name').textContent()).toBe(name);
  expect(await page.getByTestId('user-role').textContent()).toBe(role);
}

async function fill(page: Page, values: Record<string, string>) {
  for (const [testId, value] of Object.entries(values)) await page.getByTestId(testId).fill(value);
}

async function signIn(page: Page, email: string, password: string) {
  await fill(page, { 'sign-in-email': email, 'sign-in-password': password });
  await page.getByTestId('sign-in-submit').click();
}

async function openUserMenu(page: Page, item: 'menu-people' | 'menu-sign-out' | 'menu-password') {
  await page.getByTestId('user-menu').click();
  await page.getByTestId(item).click();
}

describeInBrowser('editor: accounts and roles', () => {
  it('creates the owner on first start from the printed setup link (not without its code), signs out and in, invites a viewer who sees flows read-only, all under the CSP', {
    timeout: 240_000,
  }, async () => {
    await withEditor(
      'accounts',
      async (s) => {
        const { page } = s;
        // Writes made in a session must carry the CSRF token (with no API key in the browser at all).
        const writes: Request[] = [];
        page.on('request', (r) => {
          if (r.url().includes('/api/') && r.method() !== 'GET') writes.push(r);
        });

        // 0. Someone else reaches the fresh server first, without the setup link: the page asks for the
        //    setup code the server printed, and a wrong one is refused with where to find the right one.
        s.allowError(/status of 403 .*\/api\/auth\/setup/);
        const stranger = (await s.newContext()).page;
        await stranger.goto(`${s.base}/`);
        await stranger.getByTestId('setup-page').waitFor();
        await stranger.getByTestId('setup-code').waitFor();
        await fill(stranger, {
          'setup-name': 'Mallory',
          'setup-email': 'mallory@example.com',
          'setup-password': 'not the owner at all',
          'setup-confirm': 'not the owner at all',
        });
        await stranger.getByTestId('setup-submit').click();
        expect(await stranger.getByTestId('setup-code-error').textContent()).toMatch(/setup code/);
        await stranger.getByTestId('setup-code').fill('not-the-code-0123456789');
        await stranger.getByTestId('setup-submit').click();
        await expect
          .poll(() => stranger.getByTestId('auth-error').textContent())
          .toMatch(/printed in the server's output when it started/);
        await stranger.screenshot({ path: `${s.artifacts}/stranger-wrong-setup-code.png` });
        expect((await s.json<{ items: unknown[] }>('/api/users')).items).toEqual([]);

        // 1. First start, from the link the server printed (`/setup#<code>`): the page asks for the
        //    owner's account, not for the code, and the code is gone from the address bar; the form says
        //    what is wrong.
        await page.getByTestId('setup-page').waitFor();
        expect(page.url()).toBe(`${s.base}/`);
        expect(await page.getByTestId('setup-code').count()).toBe(0);
        expect(await page.evaluate(() => localStorage.getItem('switchboard.apiKey'))).toBeNull();
        await s.stage('setup');
        await fill(page, {
          'setup-name': OWNER.name,
          'setup-email': 'olga',
          'setup-password': 'short',
          'setup-confirm': 'short',
        });
        await page.getByTestId('setup-submit').click();
        expect(await page.getByTestId('setup-email-error').textContent()).toMatch(/email address/);
        expect(await page.getByTestId('setup-password-error').textContent()).toMatch(
          /at least 10 characters/,
        );
        expect(writes).toHaveLength(0);
        await s.stage('setup-errors');
        await fill(page, {
          'setup-email': OWNER.email,
          'setup-password': OWNER.password,
          'setup-confirm': OWNER.password,
        });
        await page.getByTestId('setup-submit').click();
        await page.getByTestId('flow-list').waitFor();
        await expectSignedInAs(page, OWNER.name, 'Owner');
        await s.stage('owner-signed-in');

        // 2. The editor works in the session: a new flow, a node, saved.
        page.once('dialog', (dialog) => void dialog.accept(FLOW_NAME));
        await page.getByTestId('new-flow').click();
        await page.waitForURL(/\/flows\/[^/]+$/);
        const flowId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
        await page.getByTestId('canvas').waitFor();
        await page.getByTestId('palette-trigger.whatsappMessage').click();
        await expect.poll(() => nodeIds(page)).toHaveLength(1);
        await page.getByTestId('unsaved').waitFor();
        await page.getByTestId('save').click();
        await page.getByTestId('unsaved').waitFor({ state: 'detached' });
        await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/Saved as version \d+/);
        const stored = await s.json<{ document: { nodes: { type: string }[] } }>(`/api/flows/${flowId}`);
        expect(stored.document.nodes.map((n) => n.type)).toEqual(['trigger.whatsappMessage']);
        const sessionWrites = writes.filter((r) => !r.url().includes('/api/auth/'));
        expect(sessionWrites.length).toBeGreaterThanOrEqual(2);
        for (const r of sessionWrites) {
          const headers = await r.allHeaders();
          expect(headers['x-csrf-token'], `${r.method()} ${r.url()}`).toMatch(/.{16,}/);
          expect(headers.authorization, `${r.method()} ${r.url()}`).toBeUndefined();
        }
        await s.stage('flow-saved');

        // 3. Sign out: the sign-in page, and the session is gone for the server too.
        await openUserMenu(page, 'menu-sign-out');
        await page.getByTestId('sign-in-page').waitFor();
        await s.stage('signed-out');

        // 4. A wrong password is refused with a clear message (the browser logs the 401 answer).
        s.allowError(/status of 401/);
        await signIn(page, OWNER.email, 'not the password');
        await expect
          .poll(() => page.getByTestId('auth-error').textContent())
          .toBe('Wrong email or password.');
        await s.stage('wrong-password');

        // 5. The right one signs in again, where the flow is waiting.
        await page.getByTestId('sign-in-password').fill(OWNER.password);
        await page.getByTestId('sign-in-submit').click();
        await page.getByTestId(`flow-row-${flowId}`).waitFor();
        await expectSignedInAs(page, OWNER.name, 'Owner');
        await s.stage('signed-in-again');

        // 6. People: an API key (shown once, works, revoked) and an invitation link for a viewer.
        await openUserMenu(page, 'menu-people');
        await page.getByTestId('people-page').waitFor();
        await page.getByTestId(`user-row-${OWNER.email}`).waitFor();
        await page.getByTestId('key-create').click();
        expect(await page.getByTestId('key-name-error').textContent()).toMatch(/name/);
        await page.getByTestId('key-name').fill('CI export');
        await page.getByTestId('key-role').selectOption('viewer');
        await page.getByTestId('key-create').click();
        const key = await page.getByTestId('new-key').inputValue();
        expect(key.length).toBeGreaterThan(20);
        expect(await page.getByTestId('new-key-box').textContent()).toMatch(/shown only once/);
        await s.stage('api-key-created');
        const withKey = (k: string) =>
          fetch(`${s.base}/api/flows`, { headers: { authorization: `Bearer ${k}` } }).then((r) => r.status);
        expect(await withKey(key)).toBe(200);
        await page.getByTestId('new-key-done').click();
        const keyRow = page.locator('[data-testid^="key-row-"]');
        await expect.poll(() => keyRow.count()).toBe(1);
        page.once('dialog', (dialog) => void dialog.accept());
        await keyRow.locator('[data-testid^="key-revoke-"]').click();
        await expect.poll(() => keyRow.count()).toBe(0);
        expect(await withKey(key)).toBe(401);

        await page.getByTestId('invite-role').selectOption('viewer');
        await page.getByTestId('invite-create').click();
        const inviteUrl = await page.getByTestId('invite-url').inputValue();
        expect(inviteUrl).toMatch(new RegExp(`^${s.base}/invite#[A-Za-z0-9_-]+$`));
        await page.locator('tr[data-testid^="invitation-"]').first().waitFor();
        await s.stage('invitation-created');

        // 7. The invited person opens the link in another browser and creates their account.
        const other = await s.newContext();
        const viewer = other.page;
        await viewer.goto(inviteUrl);
        await viewer.getByTestId('invite-page').waitFor();
        await expect.poll(() => viewer.getByTestId('invite-summary').textContent()).toMatch(/Viewer/);
        await fill(viewer, {
          'invite-name': VIEWER.name,
          'invite-email': VIEWER.email,
          'invite-password': VIEWER.password,
          'invite-confirm': 'something else!',
        });
        await viewer.getByTestId('invite-submit').click();
        expect(await viewer.getByTestId('invite-confirm-error').textContent()).toMatch(/not the same/);
        await viewer.getByTestId('invite-confirm').fill(VIEWER.password);
        await viewer.getByTestId('invite-submit').click();
        await viewer.getByTestId('flow-list').waitFor();
        await expectSignedInAs(viewer, VIEWER.name, 'Viewer');
        expect(new URL(viewer.url()).pathname).toBe('/');

        // 8. The viewer sees the flow, read-only: no buttons that change it, a canvas that does not move.
        await viewer.getByTestId(`flow-row-${flowId}`).waitFor();
        await viewer.getByTestId('read-only').waitFor();
        for (const id of ['new-flow', 'import-flow', `flow-delete-${flowId}`, `flow-activate-${flowId}`]) {
          expect(await viewer.getByTestId(id).count(), id).toBe(0);
        }
        await other.page.screenshot({ path: `${s.artifacts}/viewer-flow-list.png` });
        await viewer.getByTestId(`flow-open-${flowId}`).click();
        await viewer.getByTestId('canvas').waitFor();
        await expect.poll(() => nodeIds(viewer)).toHaveLength(1);
        await viewer.getByTestId('read-only').waitFor();
        for (const id of ['save', 'toggle-active', 'import', 'palette', 'tab-simulator']) {
          expect(await viewer.getByTestId(id).count(), id).toBe(0);
        }
        expect(await viewer.getByTestId('flow-name').getAttribute('readonly')).not.toBeNull();
        const [nodeId] = await nodeIds(viewer);
        const wrapper = viewer.locator(`.react-flow__node[data-id="${nodeId}"]`);
        expect(await wrapper.getAttribute('class')).not.toMatch(/\bdraggable\b/);
        await node(viewer, nodeId ?? '').click();
        await viewer.getByTestId('inspector').waitFor();
        expect(await viewer.getByTestId('inspector-fields').getAttribute('disabled')).not.toBeNull();
        expect(await viewer.getByTestId('inspector-label').isDisabled()).toBe(true);
        // Keyboard edits are refused too, and nothing reached the server.
        await viewer.keyboard.press('Delete');
        expect(await nodeIds(viewer)).toHaveLength(1);
        expect(await viewer.getByTestId('unsaved').count()).toBe(0);
        await other.page.screenshot({ path: `${s.artifacts}/viewer-editor.png` });

        // 9. The owner's People page lists the viewer with their role.
        await page.reload();
        await page.getByTestId(`user-row-${VIEWER.email}`).waitFor();
        expect(await page.getByTestId(`user-role-${VIEWER.email}`).inputValue()).toBe('viewer');
        await s.stage('people-with-viewer');

        // 10. The editor's page carries the CSP, and no page above broke it.
        const response = await page.reload();
        expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
        await page.getByTestId('people-page').waitFor();
        expect(s.cspViolations()).toEqual([]);
      },
      { apiKey: false },
    );
  });
});
