import { expect, it } from 'vitest';
import { describeInBrowser, withEditor } from './harness.js';

describeInBrowser('editor language', () => {
  it('switches the UI to Spanish and remembers it after a reload', { timeout: 120_000 }, async () => {
    await withEditor('language', async ({ page, stage }) => {
      const newFlow = page.getByTestId('new-flow');
      await expect.poll(() => newFlow.textContent()).toBe('New flow');
      await stage('english');

      await page.getByTestId('lang').selectOption('es');
      await expect.poll(() => newFlow.textContent()).toBe('Nuevo flujo');
      expect(await page.locator('html').getAttribute('lang')).toBe('es');
      await stage('spanish');

      await page.reload();
      await expect.poll(() => page.getByTestId('new-flow').textContent()).toBe('Nuevo flujo');
      expect(await page.getByTestId('lang').inputValue()).toBe('es');
      expect(await page.locator('html').getAttribute('lang')).toBe('es');
      await stage('spanish-after-reload');
    });
  });
});
