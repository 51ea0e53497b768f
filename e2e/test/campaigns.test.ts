import { expect, it } from 'vitest';
import { describeInBrowser, withEditor } from './harness.js';

const HEADER = 'phone,name,tags,marketing_consent,marketing_source,marketing_at';
const AT = '2026-01-10T09:00:00Z';
/** Four contacts opted in to marketing (one without a name: the fallback fills it), one opted out. */
const ROWS = [
  `+34600700001,Ana,vip,opted_in,web form,${AT}`,
  `+34600700002,Beto,vip,opted_in,web form,${AT}`,
  `+34600700003,Carla,,opted_in,web form,${AT}`,
  `+34600700004,,,opted_in,web form,${AT}`,
  `+34600700005,Dani,vip,opted_out,web form,${AT}`,
];

interface Counts {
  pending: number;
  queued: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  skipped: number;
  cancelled: number;
}

describeInBrowser('editor: campaigns', () => {
  it('creates a campaign from the UI with an approved marketing template, watches it reach 100 % and opens its results', {
    timeout: 180_000,
  }, async () => {
    await withEditor('campaigns', async (s) => {
      const { page } = s;
      const imported = await s.server.api('/api/contacts/import', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: `${[HEADER, ...ROWS].join('\n')}\n`,
      });
      expect(imported.status, await imported.clone().text()).toBe(200);

      await page.getByTestId('nav-campaigns').click();
      await page.getByTestId('campaigns-page').waitFor();
      await page.getByTestId('campaign-new').click();
      await page.getByTestId('campaign-form').waitFor();

      // 1. Name, the sandbox's number, and its approved marketing template with named parameters.
      await page.getByTestId('campaign-name').fill('Bienvenida enero');
      await expect.poll(() => page.getByTestId('campaign-channel').inputValue()).toBe('default');
      await page.getByTestId('template-search').fill('bienvenida');
      await page.getByTestId('template-option-bienvenida_cliente-es').click();
      expect(await page.getByTestId('template-preview').textContent()).toContain('¡Hola {{first_name}}!');
      expect(await page.getByTestId('placeholder-hint').textContent()).toContain(
        '{{contact.name | "amigo"}}',
      );
      await page.getByTestId('template-value-header:first_name').fill('{{contact.name | "amigo"}}');
      // A placeholder that is not a contact field is named before anything is sent.
      await page.getByTestId('template-value-body:first_name').fill('{{name}}');
      await page.getByTestId('param-problem-body:first_name').waitFor();
      expect(await page.getByTestId('param-problem-body:first_name').textContent()).toContain(
        '{{name}} is not a contact field',
      );
      await page.getByTestId('template-value-body:first_name').fill('{{contact.name | "amigo"}}');
      await page.getByTestId('param-problem-body:first_name').waitFor({ state: 'detached' });
      await page.getByTestId('template-value-body:discount_code').fill('HOLA10');
      expect(await page.getByTestId('template-preview').textContent()).toContain('Usa el código HOLA10');

      // 2. An inline audience (every contact) and the live preview: 4 will receive it, 1 opted out.
      await page.getByTestId('audience-filter').check();
      const preview = page.getByTestId('campaign-preview-text');
      await expect.poll(() => preview.getAttribute('data-will-send'), { timeout: 10_000 }).toBe('4');
      expect(await preview.textContent()).toBe('4 will receive it, 1 skipped: Opted out (1)');
      await s.stage('form');

      // 3. Start: the campaign's page, its progress bar up to 100 %.
      await page.getByTestId('campaign-start').click();
      await page.getByTestId('campaign-page').waitFor();
      expect(await page.getByTestId('campaign-title').textContent()).toBe('Bienvenida enero');
      const bar = page.getByRole('progressbar');
      expect(await bar.getAttribute('aria-valuemin')).toBe('0');
      expect(await bar.getAttribute('aria-valuemax')).toBe('100');
      await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 60_000 }).toBe('100');
      expect(await page.getByTestId('campaign-percent').textContent()).toBe('100 %');
      await expect
        .poll(() => page.getByTestId('campaign-page').getAttribute('data-status'), { timeout: 30_000 })
        .toBe('completed');
      await s.stage('completed');

      // 4. Results: four went out (sent, delivered or read), one skipped as opted out, none failed.
      const count = async (state: string) => Number(await page.getByTestId(`count-${state}`).textContent());
      // 100 % means every recipient was queued or skipped; the page keeps reading while messages are
      // still queued, so the sends show up here as the outbox makes them.
      await expect
        .poll(async () => (await count('sent')) + (await count('delivered')) + (await count('read')), {
          timeout: 30_000,
        })
        .toBe(4);
      expect(await count('queued')).toBe(0);
      expect(await count('skipped')).toBe(1);
      expect(await count('failed')).toBe(0);
      expect(await count('pending')).toBe(0);
      const optedOut = page.locator('[data-testid="skipped-row"][data-reason="opted_out"]');
      expect(await optedOut.textContent()).toContain('Opted out');
      expect(await optedOut.getByTestId('skipped-count').textContent()).toBe('1');
      await page.getByTestId('recipients-status').selectOption('skipped');
      const skipped = page.locator('[data-testid="recipient"]');
      await expect.poll(() => skipped.count()).toBe(1);
      expect(await skipped.first().getAttribute('data-wa-id')).toBe('34600700005');
      expect(await skipped.first().textContent()).toContain('Opted out');
      // By skip reason, in any state: the opted-out recipient only; another reason finds none.
      await page.getByTestId('recipients-status').selectOption('');
      await page.getByTestId('recipients-because').selectOption('reason:opted_out');
      await expect.poll(() => skipped.count()).toBe(1);
      expect(await skipped.first().getAttribute('data-wa-id')).toBe('34600700005');
      await page.getByTestId('recipients-because').selectOption('reason:blocked_region');
      await expect.poll(() => skipped.count()).toBe(0);
      await s.stage('results');

      // The API agrees with what the page shows, and the list shows the campaign finished.
      const list = await s.json<{
        items: Array<{ id: string; name: string; status: string; counts: Counts }>;
      }>('/api/campaigns');
      const made = list.items.find((c) => c.name === 'Bienvenida enero');
      expect(made?.status).toBe('completed');
      const c = made!.counts;
      expect(c.sent + c.delivered + c.read).toBe(4);
      expect(c.skipped).toBe(1);
      const campaign = await s.json<{
        template: { header?: { params: string[] }; body?: { params: string[] } };
      }>(`/api/campaigns/${made!.id}`);
      expect(campaign.template.header?.params).toEqual(['{{contact.name | "amigo"}}']);
      expect(campaign.template.body?.params).toEqual(['{{contact.name | "amigo"}}', 'HOLA10']);

      await page.getByText('← Campaigns').click();
      const row = page.locator('[data-testid="campaign-row"][data-name="Bienvenida enero"]');
      await row.waitFor();
      expect(await row.getByTestId('campaign-status').getAttribute('data-status')).toBe('completed');
      expect(await row.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
      // The list's status filter: no drafts, and the campaign among the completed ones.
      await page.getByTestId('campaigns-status').selectOption('draft');
      await expect.poll(() => row.count()).toBe(0);
      await page.getByTestId('campaigns-status').selectOption('completed');
      await row.waitFor();
    });
  });

  it('schedules a campaign for later, says why it waits, and cancels it after asking', {
    timeout: 120_000,
  }, async () => {
    await withEditor('campaigns-schedule', async (s) => {
      const { page } = s;
      const imported = await s.server.api('/api/contacts/import', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: `${[HEADER, ...ROWS.slice(0, 2)].join('\n')}\n`,
      });
      expect(imported.status).toBe(200);
      await page.getByTestId('nav-campaigns').click();
      await page.getByTestId('campaign-new').click();
      await page.getByTestId('campaign-name').fill('Ofertas mañana');
      await page.getByTestId('template-search').fill('ofertas');
      await page.getByTestId('template-option-ofertas_semana-es').click();
      await page.getByTestId('audience-filter').check();
      await page.getByTestId('camp-tagsAll').fill('vip');
      await page.getByTestId('schedule-at').check();
      const tomorrow = new Date(Date.now() + 24 * 3600_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      await page
        .getByTestId('schedule-start-at')
        .fill(
          `${tomorrow.getFullYear()}-${pad(tomorrow.getMonth() + 1)}-${pad(tomorrow.getDate())}T${pad(tomorrow.getHours())}:${pad(tomorrow.getMinutes())}`,
        );
      await expect
        .poll(() => page.getByTestId('campaign-preview-text').getAttribute('data-will-send'))
        .toBe('2');
      await page.getByTestId('campaign-start').click();
      await page.getByTestId('campaign-page').waitFor();
      await expect
        .poll(() => page.getByTestId('campaign-page').getAttribute('data-status'))
        .toBe('scheduled');
      expect(await page.getByTestId('campaign-waiting').getAttribute('data-reason')).toBe('scheduled');
      await s.stage('scheduled');

      // Edited while scheduled: the name and template values may change; its number and audience,
      // taken when it was started, are shown but cannot.
      await page.getByTestId('campaign-edit').click();
      await page.getByTestId('campaign-form').waitFor();
      await expect.poll(() => page.getByTestId('campaign-name').inputValue()).toBe('Ofertas mañana');
      await page.getByTestId('template-picked').waitFor();
      expect(await page.getByTestId('template-picked').getAttribute('data-name')).toBe('ofertas_semana');
      expect(await page.getByTestId('campaign-channel').isDisabled()).toBe(true);
      expect(await page.getByTestId('camp-tagsAll').inputValue()).toBe('vip');
      expect(await page.getByTestId('camp-tagsAll').isDisabled()).toBe(true);
      expect(await page.getByTestId('campaign-start').count()).toBe(0);
      await page.getByTestId('campaign-name').fill('Ofertas del martes');
      await page.getByTestId('campaign-save').click();
      await page.getByTestId('campaign-page').waitFor();
      await expect.poll(() => page.getByTestId('campaign-title').textContent()).toBe('Ofertas del martes');
      expect(await page.getByTestId('campaign-page').getAttribute('data-status')).toBe('scheduled');

      // Cancel asks first; "No" keeps it.
      await page.getByTestId('campaign-cancel').click();
      await page.getByTestId('campaign-confirm').waitFor();
      await page.getByTestId('campaign-confirm-no').click();
      expect(await page.getByTestId('campaign-page').getAttribute('data-status')).toBe('scheduled');
      await page.getByTestId('campaign-cancel').click();
      await page.getByTestId('campaign-confirm-yes').click();
      await expect
        .poll(() => page.getByTestId('campaign-page').getAttribute('data-status'))
        .toBe('cancelled');
      expect(await page.getByTestId('campaign-cancel').count()).toBe(0);
      await s.stage('cancelled');
      const list = await s.json<{ items: Array<{ status: string; counts: Counts }> }>('/api/campaigns');
      expect(list.items[0]?.status).toBe('cancelled');
      expect(list.items[0]?.counts.sent).toBe(0);
    });
  });
});
