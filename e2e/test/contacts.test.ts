import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { describeInBrowser, withEditor } from './harness.js';

const HEADER = 'phone,name,tags,attributes,marketing_consent,marketing_source,marketing_at';
const GOOD = [
  '+34600500001,Ana,vip;es,"{""score"":90}",opted_in,web form,2026-01-10T09:00:00Z',
  '+34600500002,Beto,vip,"{""score"":20}",opted_in,web form,2026-01-10T09:00:00Z',
  '+34600500003,Carla,es,"{""score"":95}",,,',
];
/** The same file with row 3 wrong: an opt-in without its source and time. */
const BAD_ROW = '+34600500002,Beto,vip,"{""score"":20}",opted_in,,';
const file = (rows: string[]) => ({
  name: 'contacts.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(`${[HEADER, ...rows].join('\n')}\n`),
});

describeInBrowser('editor: contacts', () => {
  it('shows a bad row’s errors and imports nothing, imports the fixed file, builds a segment with its count and exports', {
    timeout: 180_000,
  }, async () => {
    await withEditor('contacts', async (s) => {
      const { page } = s;
      // The refused import is an expected failed request in the console.
      s.allowError(/422/);
      await page.getByTestId('nav-contacts').click();
      await page.getByTestId('contacts-page').waitFor();

      // 1. A file with one bad row: its errors, by row, and nothing imported.
      await page.getByTestId('import-file').setInputFiles(file([GOOD[0]!, BAD_ROW, GOOD[2]!]));
      await page.getByTestId('import-check').click();
      await page.getByTestId('import-problems').waitFor();
      const problems = page.getByTestId('import-problem');
      expect(await problems.count()).toBe(2);
      expect(
        await problems.evaluateAll((els) =>
          els.map((e) => [e.getAttribute('data-row'), e.getAttribute('data-column')]),
        ),
      ).toEqual([
        ['3', 'marketing_source'],
        ['3', 'marketing_at'],
      ]);
      expect(await problems.first().textContent()).toContain('Row 3');
      expect(await page.getByTestId('import-run').isDisabled()).toBe(true);
      await s.stage('bad-row');
      expect((await s.json<{ items: unknown[] }>('/api/contacts')).items).toEqual([]);

      // 2. Fixed: the dry run counts, the import writes.
      await page.getByTestId('import-file').setInputFiles(file(GOOD));
      await page.getByTestId('import-check').click();
      const outcome = page.getByTestId('import-outcome');
      await expect.poll(() => outcome.getAttribute('data-dry-run')).toBe('true');
      expect(await outcome.textContent()).toContain('3 new, 0 updated');
      expect((await s.json<{ items: unknown[] }>('/api/contacts')).items).toEqual([]);
      await page.getByTestId('import-run').click();
      await expect.poll(() => outcome.getAttribute('data-dry-run')).toBe('false');
      expect(await outcome.textContent()).toContain('Imported: 3 new, 0 updated');
      const contacts = await s.json<{ items: Array<{ waId: string; tags: string[] }> }>('/api/contacts');
      expect(contacts.items.map((c) => c.waId)).toEqual(['34600500001', '34600500002', '34600500003']);
      await s.stage('imported');

      // 3. A segment: tag vip, score ≥ 50, opted in to marketing → Ana only.
      await page.getByTestId('seg-name').fill('Engaged VIPs');
      await page.getByTestId('seg-tagsAll').fill('vip');
      await page.getByTestId('seg-optedIn').selectOption('marketing');
      await page.getByTestId('seg-add-attr').click();
      await page.getByTestId('seg-attr-key').fill('score');
      await page.getByTestId('seg-attr-op').selectOption('gte');
      await page.getByTestId('seg-attr-value').fill('50');
      await page.getByTestId('seg-preview').click();
      await expect.poll(() => page.getByTestId('seg-preview-count').textContent()).toBe('1 contact(s)');
      await page.getByTestId('seg-save').click();
      const saved = page.locator('[data-testid="segment"][data-name="Engaged VIPs"]');
      await saved.waitFor();
      await expect.poll(() => saved.getByTestId('segment-count').textContent()).toBe('1 contact(s)');
      const segments = await s.json<{ items: Array<{ filter: unknown }> }>('/api/segments');
      expect(segments.items[0]!.filter).toEqual({
        tags: { all: ['vip'] },
        attributes: [{ key: 'score', op: 'gte', value: 50 }],
        optedIn: 'marketing',
      });
      await s.stage('segment');

      // 4. Exports: the segment's (one contact) and everyone's (three).
      const [segmentDownload] = await Promise.all([
        page.waitForEvent('download'),
        saved.getByTestId('segment-export').click(),
      ]);
      const segmentCsv = await readFile((await segmentDownload.path())!, 'utf8');
      expect(segmentCsv.trim().split('\r\n')).toHaveLength(2);
      expect(segmentCsv).toContain('+34600500001,Ana,ES,default,vip;es');
      const [allDownload] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-all').click(),
      ]);
      expect(allDownload.suggestedFilename()).toMatch(/^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
      const allCsv = await readFile((await allDownload.path())!, 'utf8');
      // Contacts come by id (random), so compared as a set.
      const phones = allCsv
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(',')[0]);
      expect(phones.sort()).toEqual(['+34600500001', '+34600500002', '+34600500003']);
    });
  });
});
