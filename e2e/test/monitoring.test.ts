import { expect, it } from 'vitest';
import { describeInBrowser, withEditor } from './harness.js';

/** A flow that parks every run on a one-hour delay: a "run waiting" on the health page. */
const PARKED = {
  schemaVersion: 1,
  id: 'parked',
  name: 'Parked for an hour',
  nodes: [
    { id: 'start', type: 'trigger.manual', position: { x: 0, y: 0 }, params: {} },
    { id: 'pause', type: 'flow.delay', position: { x: 240, y: 0 }, params: { amount: 1, unit: 'hours' } },
  ],
  edges: [{ id: 'e1', source: 'start', sourcePort: 'out', target: 'pause', targetPort: 'in' }],
};

describeInBrowser('monitoring page', () => {
  it('updates live without a reload, and an alert rule made in the page opens an incident and ends when disabled', {
    timeout: 120_000,
  }, async () => {
    await withEditor('monitoring', async ({ page, stage, server }) => {
      await page.getByTestId('nav-monitoring').click();
      await page.getByTestId('monitoring-page').waitFor();
      const waiting = page.getByTestId('mon-runs-waiting');
      await expect.poll(() => waiting.textContent()).toBe('0');
      await page.getByTestId('chart-ingest').waitFor();
      await page.getByTestId('chart-sends').waitFor();
      await stage('empty');

      // A run parks while the page is open: the figure follows, with no reload.
      const post = async (path: string, body: unknown) => {
        const res = await server.api(path, { method: 'POST', body: JSON.stringify(body) });
        expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
      };
      await post('/api/flows', PARKED);
      await post('/api/flows/parked/runs', { payload: {} });
      await expect.poll(() => waiting.textContent(), { timeout: 20_000 }).toBe('1');
      await stage('run-waiting');

      // A rule on that figure, made in the form (the empty form is refused first, naming the fields).
      await page.getByTestId('alert-new').click();
      await page.getByTestId('alert-save').click();
      await page.getByText('Give the rule a name.').waitFor();
      await page.getByTestId('alert-name').fill('Runs parked');
      await page.getByTestId('alert-metric').selectOption('runs_waiting');
      await page.getByTestId('alert-threshold').fill('0');
      await page.getByTestId('alert-duration').fill('0');
      await page.getByTestId('alert-notify-kind').selectOption('http');
      await page.getByTestId('alert-target').fill('https://alerts.example.com/switchboard');
      await page.getByTestId('alert-save').click();
      await page.getByTestId('alert-rule-Runs parked').waitFor();
      // Evaluated every 10 s: the incident opens and the page shows it.
      await page.getByTestId('incidents-open').getByText('Runs parked').waitFor({ timeout: 30_000 });
      await expect
        .poll(() => page.getByTestId('mon-open-incidents').textContent(), { timeout: 20_000 })
        .toBe('1');
      await stage('incident-open');

      // Disabled: the incident ends (quietly) and moves to the past ones.
      await page.getByTestId('alert-toggle-Runs parked').click();
      await page.getByTestId('incidents-past').getByText('Runs parked').waitFor({ timeout: 30_000 });
      await expect
        .poll(() => page.getByTestId('mon-open-incidents').textContent(), { timeout: 20_000 })
        .toBe('0');
      const rules = (await (await server.api('/api/alerts')).json()) as {
        items: Array<{ enabled: boolean }>;
      };
      expect(rules.items.map((r) => r.enabled)).toEqual([false]);
      await stage('incident-past');
    });
  });
});
