import express from 'express';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { SIMULATOR_CHANNEL } from '../channels.js';
import { COLUMNS } from '../contacts/columns.js';
import { streamContactsCsv } from '../contacts/export.js';
import { applyImport } from '../contacts/import-apply.js';
import { MAX_IMPORT_ROWS, readImport } from '../contacts/import-rows.js';
import { SegmentFilter } from '../contacts/segment-filter.js';
import { BUILDERS } from '../roles.js';
import type { Runtime } from '../runtime.js';

const TAG = 'contacts';
/** The largest CSV an import takes (about 100,000 contacts with a few attributes each). */
export const IMPORT_LIMIT = '20mb';

const Problem = z.object({ row: z.number(), column: z.string(), path: z.string(), message: z.string() });
const Outcome = z.object({
  dryRun: z.boolean(),
  rows: z.number(),
  created: z.number(),
  updated: z.number(),
  kept: z.array(z.object({ row: z.number(), column: z.string(), message: z.string() })),
});

/**
 * Contacts as CSV (docs/contacts.md): a streamed export, of everyone or of a segment or filter, and an
 * all-or-nothing import. Registered before the contact routes: `/api/contacts/:waId` would take
 * `export.csv` and `import` otherwise.
 */
export function contactCsvRoutes(api: Api, rt: Runtime): void {
  api.add({
    method: 'get',
    path: '/api/contacts/export.csv',
    roles: BUILDERS,
    tag: TAG,
    summary: `Contacts as CSV (columns: ${COLUMNS.join(', ')}), all of them or a segment’s or a filter’s; streamed`,
    query: z.object({
      segment: z.string().max(100).optional().describe('a saved segment’s id'),
      filter: z.string().max(10_000).optional().describe('a segment filter, as JSON'),
    }),
    responses: {
      200: {
        description:
          "The CSV file; a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) starts with a `'`, which the import takes off (E.164 phones are written as they are)",
        contentType: 'text/csv',
      },
      400: { description: 'invalid_request: the filter’s problems', schema: ErrorBody },
      404: { description: 'Unknown segment', schema: ErrorBody },
    },
    handler: async ({ query, req }, res) => {
      let filter: SegmentFilter = {};
      if (query.segment && query.filter)
        return sendError(res, 400, 'invalid_request', 'give segment or filter, not both');
      if (query.segment) {
        const segment = await rt.database.repos.segments.get(query.segment);
        if (!segment) return sendError(res, 404, 'not_found', `no segment ${query.segment}`);
        filter = segment.filter;
      } else if (query.filter) {
        let json: unknown;
        try {
          json = JSON.parse(query.filter);
        } catch {
          return sendError(res, 400, 'invalid_request', 'filter is not JSON', [
            { path: '$.query.filter', message: 'a segment filter as JSON, e.g. {"tags":{"any":["vip"]}}' },
          ]);
        }
        const parsed = SegmentFilter.safeParse(json);
        if (!parsed.success)
          return sendError(
            res,
            400,
            'invalid_request',
            `the filter has ${parsed.error.issues.length} problem(s)`,
            parsed.error.issues.map((i) => ({
              path: ['$', 'query', 'filter', ...i.path.map(String)].join('.'),
              message: i.message,
            })),
          );
        filter = parsed.data;
      }
      const count = await streamContactsCsv(rt.database.repos, filter, res, new Date().toISOString());
      // Who took personal data out, and how much (never which contacts).
      await rt.audit.request(req, res, 'contacts.exported', null, {
        contacts: count,
        ...(query.segment ? { segment: query.segment } : {}),
        ...(query.filter ? { filtered: true } : {}),
      });
    },
  });

  api.add({
    method: 'post',
    path: '/api/contacts/import',
    roles: BUILDERS,
    tag: TAG,
    summary: `Import contacts from CSV (text/csv, ${IMPORT_LIMIT} and ${MAX_IMPORT_ROWS} rows at most): every row checked, then all upserted in one transaction or none`,
    middleware: [express.text({ type: ['text/csv', 'text/plain', 'application/csv'], limit: IMPORT_LIMIT })],
    query: z.object({
      dryRun: z
        .enum(['true', 'false', '1', '0'])
        .default('false')
        .transform((v) => v === 'true' || v === '1')
        .describe('check and count, write nothing'),
    }),
    responses: {
      200: { description: 'Imported (or, on a dry run, what would be)', schema: Outcome },
      415: { description: 'unsupported_media_type: send text/csv', schema: ErrorBody },
      422: {
        description: 'invalid_csv: every problem by row and column; nothing was written',
        schema: ErrorBody.extend({ problems: z.array(Problem) }),
      },
    },
    handler: async ({ query, req }, res) => {
      if (typeof req.body !== 'string')
        return sendError(
          res,
          415,
          'unsupported_media_type',
          'send the CSV file as the body, with content-type text/csv',
        );
      const now = new Date();
      const { rows, problems } = readImport(req.body, { now, simulatorChannel: SIMULATOR_CHANNEL });
      if (problems.length > 0) {
        const bad = new Set(problems.map((p) => p.row)).size;
        return sendError(
          res,
          422,
          'invalid_csv',
          `${problems.length} problem(s) in ${bad} row(s); nothing was imported`,
          problems,
        );
      }
      const outcome = await applyImport(rt.database, rows, { now: now.toISOString(), dryRun: query.dryRun });
      if (!query.dryRun)
        await rt.audit.request(req, res, 'contacts.imported', null, {
          rows: rows.length,
          created: outcome.created,
          updated: outcome.updated,
          consentKept: outcome.kept.length,
        });
      res.json({ dryRun: query.dryRun, rows: rows.length, ...outcome });
    },
  });
}
