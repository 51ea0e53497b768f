import type { Repositories, SegmentFilter } from '@switchboard/db';
import type { Response } from 'express';
import { COLUMNS, contactRow } from './columns.js';
import { csvLine } from './csv.js';

const PAGE = 1000;

/**
 * Writes the contacts `filter` selects as CSV, a page of contacts at a time (by id), waiting for the
 * client to drain: 100,000 contacts never sit in memory together.
 */
export async function streamContactsCsv(
  repos: Repositories,
  filter: SegmentFilter,
  res: Response,
  now: string,
): Promise<number> {
  res.status(200);
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="contacts-${now.slice(0, 10)}.csv"`);
  const write = async (chunk: string) => {
    // A client gone mid-file ends the wait too (then the loop stops at `res.destroyed`).
    if (!res.write(chunk))
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
  };
  await write(csvLine(COLUMNS));
  let after: string | undefined;
  let total = 0;
  for (;;) {
    if (res.destroyed) break;
    const page = await repos.segments.resolve(filter, { now, limit: PAGE, ...(after ? { after } : {}) });
    await write(page.map((c) => csvLine(contactRow(c))).join(''));
    total += page.length;
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  res.end();
  return total;
}
