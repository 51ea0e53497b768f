import { expect, it } from 'vitest';
import { node } from './canvas.js';
import { API_KEY, describeInBrowser, withEditor } from './harness.js';

describeInBrowser('message templates', () => {
  it('lists the account’s templates, refuses a broken one by field, and sees a new one approved', {
    timeout: 120_000,
  }, async () => {
    await withEditor('templates', async ({ page, stage, allowError }) => {
      await page.getByTestId('nav-templates').click();
      await page.getByTestId('templates-page').waitFor();
      // The sandbox account's templates, synced at start: every category, both languages.
      await page.getByTestId('template-order_confirmation-es_MX').waitFor();
      await page.getByTestId('template-verification_code-en_US').waitFor();
      const black = page.getByTestId('template-black_friday_2025-es');
      expect(await black.getByTestId('template-status').textContent()).toBe('PAUSED');
      await page.getByTestId('templates-category').selectOption('AUTHENTICATION');
      await expect.poll(() => page.locator('.sb-template-card').count()).toBe(2);
      await page.getByTestId('template-codigo_verificacion-es').waitFor();
      await page.getByTestId('templates-category').selectOption('');
      await stage('list');

      // A body parameter without an example: WhatsApp's rule, named by field.
      allowError(/422/);
      await page.getByTestId('templates-new').click();
      await page.getByTestId('template-field-name').fill('aviso_recogida');
      await page.getByTestId('template-field-body').fill('Tu pedido {{1}} está listo para recoger.');
      await page.getByTestId('template-submit').click();
      await page.getByTestId('template-problems').waitFor();
      expect(await page.getByTestId('template-problems').textContent()).toContain(
        'components[0].example.body_text',
      );
      await stage('problems');

      await page.getByTestId('template-example-1').fill('A-1001');
      await page.getByTestId('template-field-quickReplies').fill('Voy hoy\nMañana');
      await page.getByTestId('template-submit').click();
      await page.getByTestId('templates-notice').waitFor();
      const card = page.getByTestId('template-aviso_recogida-es');
      await expect.poll(() => card.getByTestId('template-status').textContent()).toBe('PENDING');
      await stage('pending');
      // The sandbox's review approves it and posts the status webhook; the page sees it.
      await expect
        .poll(() => card.getByTestId('template-status').textContent(), { timeout: 15_000 })
        .toBe('APPROVED');
      expect(await card.textContent()).toContain('Tu pedido {{1}} está listo para recoger.');
      await stage('approved');
    });
  });

  it('a template node’s name field offers the approved templates and says what the send lacks', {
    timeout: 120_000,
  }, async () => {
    await withEditor('template-node', async ({ page, base, stage }) => {
      const flow = {
        schemaVersion: 1,
        id: 'order-notice',
        name: 'Order notice',
        nodes: [
          { id: 'start', type: 'trigger.manual', params: {}, position: { x: 0, y: 0 } },
          {
            id: 'notice',
            type: 'whatsapp.sendTemplate',
            params: { to: '34600000001', name: 'order_confirmation', language: 'es_MX', bodyParams: ['Ana'] },
            position: { x: 300, y: 0 },
          },
        ],
        edges: [{ id: 'e1', source: 'start', sourcePort: 'out', target: 'notice' }],
      };
      const created = await fetch(`${base}/api/flows`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(flow),
      });
      expect(created.status).toBe(201);
      await page.goto(`${base}/flows/order-notice`);
      await node(page, 'notice').click();
      await page.getByTestId('inspector').waitFor();
      const line = page.getByTestId('param-name-template');
      await expect.poll(() => line.textContent()).toBe('Its body takes 3 parameter(s); 1 given here.');
      await stage('params-missing');
      await page.getByTestId('param-name').fill('order_update');
      await expect.poll(() => line.textContent()).toBe('Utility template; its body takes 1 parameter(s).');
      await page.getByTestId('param-name').fill('black_friday_2025');
      await expect.poll(() => line.textContent()).toBe('Not in “es_MX”: this template exists in es.');
      await stage('other-language');

      // Picked from the approved list: name and language at once, then one input per body parameter.
      await page.getByTestId('param-name-choose').selectOption('order_confirmation/es_MX');
      await expect.poll(() => page.getByTestId('param-name').inputValue()).toBe('order_confirmation');
      await expect.poll(() => line.textContent()).toBe('Its body takes 3 parameter(s); 1 given here.');
      expect(await page.getByTestId('param-bodyParams-0').inputValue()).toBe('Ana');
      // The template has no header: no header inputs.
      expect(await page.getByTestId('param-headerParams-slots').count()).toBe(0);
      await page.getByTestId('param-bodyParams-1').fill('{{ trigger.orderId }}');
      await page.getByTestId('param-bodyParams-1').press('Escape');
      await page.getByTestId('param-bodyParams-2').fill('1,299.00 MXN');
      await expect.poll(() => line.textContent()).toBe('Utility template; its body takes 3 parameter(s).');
      expect(await page.getByTestId('param-name-preview').textContent()).toBe(
        'Hola Ana, recibimos tu pedido {{ trigger.orderId }} por 1,299.00 MXN. Te avisaremos cuando salga.',
      );
      await stage('params-filled');
      await page.getByTestId('save').click();
      await page.getByTestId('unsaved').waitFor({ state: 'detached' });
      const saved = await fetch(`${base}/api/flows/order-notice`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      const stored = (await saved.json()) as { document: { nodes: Array<{ id: string; params: unknown }> } };
      expect(stored.document.nodes.find((n) => n.id === 'notice')?.params).toMatchObject({
        name: 'order_confirmation',
        language: 'es_MX',
        category: 'utility',
        bodyParams: ['Ana', '{{ trigger.orderId }}', '1,299.00 MXN'],
      });

      // Another template: its language and category follow; values it does not take are pointed out.
      await page.getByTestId('param-name-choose').selectOption('ofertas_semana/es');
      await expect.poll(() => page.getByTestId('param-language').inputValue()).toBe('es');
      expect(await page.getByTestId('param-category').inputValue()).toBe('marketing');
      await page.getByTestId('param-bodyParams-extra').waitFor();
      expect(await page.getByTestId('param-name-preview').textContent()).toContain('Ofertas de la semana');
      await stage('other-template');
    });
  });
});
