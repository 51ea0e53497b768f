import { CursorError } from '@switchboard/db';
import type { RunState } from '@switchboard/engine';
import { RunStatus, RunSummary, StepRecord } from '@switchboard/flow-schema';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { BUILDERS, FLOW_READERS } from '../roles.js';
import type { Runtime } from '../runtime.js';
import { sendDraftConflict } from './flows.js';

/** An ISO 8601 time with a zone (`Z` or an offset), as the UTC ISO string runs are stored with. */
const IsoTime = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 time with a zone, e.g. 2026-05-01T00:00:00Z' })
  .transform((v) => new Date(v).toISOString());

const FINISHED = ['succeeded', 'failed', 'cancelled'];

export function executionRoutes(api: Api, rt: Runtime): void {
  api.add({
    method: 'get',
    path: '/api/executions',
    roles: FLOW_READERS,
    tag: 'executions',
    summary: 'List runs, newest first',
    query: z.object({
      flowId: z.string().max(100).optional(),
      status: RunStatus.optional(),
      contactId: z.string().max(200).optional(),
      from: IsoTime.optional().describe('Only runs started at or after this time (ISO 8601)'),
      to: IsoTime.optional().describe('Only runs started before this time (ISO 8601)'),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(500).optional(),
    }),
    responses: {
      200: {
        description: 'A page of runs',
        schema: z.object({ items: z.array(RunSummary), nextCursor: z.string().nullable() }),
      },
      400: { description: 'Bad filter or cursor', schema: ErrorBody },
    },
    handler: async ({ query }, res) => {
      if (query.from && query.to && query.from >= query.to) {
        return sendError(res, 400, 'invalid_request', 'the request has 1 problem(s)', [
          { path: '$.query.to', message: `must be after "from" (${query.from})` },
        ]);
      }
      try {
        res.json(await rt.database.repos.runReads.listRuns(query));
      } catch (error) {
        if (error instanceof CursorError) return sendError(res, 400, 'invalid_request', error.message);
        throw error;
      }
    },
  });

  api.add({
    method: 'get',
    path: '/api/executions/:id',
    roles: FLOW_READERS,
    tag: 'executions',
    summary: 'One run with every step: input, output, error and timing',
    params: z.object({ id: z.string().max(100) }),
    responses: {
      200: { description: 'The run', schema: RunSummary.extend({ steps: z.array(StepRecord) }) },
      404: { description: 'No such run', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const run = await rt.store.getRun(params.id);
      if (!run) return sendError(res, 404, 'not_found', `no execution with id "${params.id}"`);
      res.json({ ...run, steps: await rt.store.getSteps(params.id) });
    },
  });

  api.add({
    method: 'post',
    path: '/api/executions/:id/cancel',
    roles: BUILDERS,
    tag: 'executions',
    summary: 'Cancel a queued, running or waiting run',
    params: z.object({ id: z.string().max(100) }),
    responses: {
      200: { description: 'Cancelled', schema: RunSummary },
      404: { description: 'No such run', schema: ErrorBody },
      409: { description: 'Already finished', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const run = await rt.store.getRun(params.id);
      if (!run) return sendError(res, 404, 'not_found', `no execution with id "${params.id}"`);
      if (!(await rt.engine.cancel(params.id))) {
        return sendError(
          res,
          409,
          'already_finished',
          `execution "${params.id}" already ended as ${run.status}`,
        );
      }
      res.json(await rt.store.getRun(params.id));
    },
  });

  // "Skip the wait" for people testing a flow (and the editor's simulator): the run resumes as if its
  // time had come, with no clock tricks, so everything else (24-hour window, statuses) stays real.
  api.add({
    method: 'post',
    path: '/api/executions/:id/wake',
    roles: BUILDERS,
    tag: 'executions',
    summary:
      'Skip the wait: a waiting run’s delays and reply timeouts fire now (test a flow without waiting)',
    params: z.object({ id: z.string().max(100) }),
    responses: {
      200: {
        description: 'The timed waits are due now; the scheduler resumes the run at once',
        schema: RunSummary.extend({ skippedWaits: z.int() }),
      },
      404: { description: 'No such run', schema: ErrorBody },
      409: { description: 'The run is not waiting on a time', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const run = await rt.store.getRun(params.id);
      if (!run) return sendError(res, 404, 'not_found', `no execution with id "${params.id}"`);
      const skipped = await rt.engine.wakeNow(params.id);
      if (skipped === 0) {
        const why =
          run.status === 'waiting'
            ? 'is waiting, but on no delay or reply timeout (a message, an event or a retry)'
            : `is ${run.status}`;
        return sendError(res, 409, 'not_waiting_on_time', `execution "${params.id}" ${why}: nothing to skip`);
      }
      rt.scheduler?.nudge();
      res.json({ ...(await rt.store.getRun(params.id))!, skippedWaits: skipped });
    },
  });

  api.add({
    method: 'post',
    path: '/api/executions/:id/replay',
    roles: BUILDERS,
    tag: 'executions',
    summary:
      'Run the flow’s current version again with a finished run’s trigger payload, contact and channel',
    params: z.object({ id: z.string().max(100) }),
    responses: {
      201: { description: 'The new run (queued)', schema: z.object({ runId: z.string() }) },
      404: { description: 'No such run', schema: ErrorBody },
      409: {
        description:
          'not_finished: the run has not ended; flow_deleted: its flow is gone; invalid_flow: the latest version is a draft',
        schema: ErrorBody,
      },
    },
    handler: async ({ params }, res) => {
      const run = await rt.store.getRun(params.id);
      const state = run && ((await rt.database.repos.runs.getState(params.id)) as RunState | undefined);
      if (!run || !state) return sendError(res, 404, 'not_found', `no execution with id "${params.id}"`);
      if (!FINISHED.includes(run.status)) {
        return sendError(
          res,
          409,
          'not_finished',
          `execution "${params.id}" is ${run.status}; only a finished run can be replayed (cancel it first)`,
        );
      }
      const latest = await rt.flows.latest(run.flowId);
      if (!latest.ok) {
        if ('notFound' in latest)
          return sendError(res, 409, 'flow_deleted', `flow "${run.flowId}" of this run no longer exists`);
        return sendDraftConflict(res, run.flowId, latest.problems);
      }
      const runId = await rt.engine.startRun({
        flow: latest.flow,
        flowVersion: latest.version,
        payload: state.trigger,
        contactId: run.contactId,
        triggerNodeId: latest.node.id,
      });
      rt.scheduler?.nudge();
      res.status(201).json({ runId });
    },
  });
}
