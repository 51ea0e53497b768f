import { Flow, Identifier } from '@switchboard/flow-schema';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import type { FlowService, SaveResult } from '../flow-service.js';
import type { Runtime } from '../runtime.js';

export const FlowRecord = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  active: z.boolean(),
  version: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  nextRunAt: z
    .string()
    .nullable()
    .describe('When an active flow with a schedule trigger runs next (ISO, UTC); null otherwise'),
});
const ProblemBody = z.object({
  path: z.string(),
  message: z.string(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
});
const Saved = z.object({ flow: FlowRecord, warnings: z.array(ProblemBody) });
const IdParams = z.object({ id: Identifier });
const notFound = { description: 'No flow with this id', schema: ErrorBody };
const invalid = {
  description: 'The flow has problems; each is listed with its JSON path',
  schema: ErrorBody,
};

function sendSaveResult(
  res: Parameters<Parameters<Api['add']>[0]['handler']>[1],
  result: SaveResult,
  okStatus: number,
  present: <F extends { id: string }>(flow: F) => F & { nextRunAt: string | null },
) {
  if (result.ok) {
    res.status(okStatus).json({ flow: present(result.flow), warnings: result.warnings });
  } else if ('problems' in result) {
    const errors = result.problems.filter((p) => p.severity === 'error').length;
    sendError(res, 400, 'invalid_flow', `the flow has ${errors} problem(s)`, result.problems);
  } else if ('conflict' in result) {
    sendError(res, 409, 'flow_exists', result.conflict);
  } else {
    sendError(res, 404, 'not_found', `no flow with id "${result.notFound}"`);
  }
}

export function flowRoutes(api: Api, rt: Runtime, flows: FlowService): void {
  /** A flow record as the API shows it: with its next scheduled run, if it has one. */
  const present = <F extends { id: string }>(flow: F) => ({
    ...flow,
    nextRunAt: rt.schedules.nextRunAt(flow.id),
  });

  api.add({
    method: 'post',
    path: '/api/flows',
    tag: 'flows',
    summary: 'Import a flow (JSON document, schemaVersion 1 or older)',
    bodyDoc: Flow,
    responses: {
      201: { description: 'Created', schema: Saved },
      400: invalid,
      409: { description: 'Id in use', schema: ErrorBody },
    },
    handler: ({ req }, res) => sendSaveResult(res, flows.create(req.body), 201, present),
  });

  api.add({
    method: 'get',
    path: '/api/flows',
    tag: 'flows',
    summary: 'List flows',
    query: z.object({
      search: z.string().max(200).optional(),
      active: z.enum(['true', 'false']).optional(),
    }),
    responses: { 200: { description: 'Flows by name', schema: z.object({ items: z.array(FlowRecord) }) } },
    handler: ({ query }, res) => {
      const items = flows.repo.list({
        ...(query.search ? { search: query.search } : {}),
        ...(query.active ? { active: query.active === 'true' } : {}),
      });
      res.json({ items: items.map(present) });
    },
  });

  api.add({
    method: 'get',
    path: '/api/flows/:id',
    tag: 'flows',
    summary: 'Get a flow with its current document',
    params: IdParams,
    responses: {
      200: { description: 'The flow', schema: FlowRecord.extend({ document: Flow }) },
      404: notFound,
    },
    handler: ({ params }, res) => {
      const flow = flows.repo.get(params.id);
      if (!flow) return sendError(res, 404, 'not_found', `no flow with id "${params.id}"`);
      res.json(present(flow));
    },
  });

  api.add({
    method: 'put',
    path: '/api/flows/:id',
    tag: 'flows',
    summary: 'Save a new version of a flow',
    params: IdParams,
    bodyDoc: Flow,
    responses: { 200: { description: 'Saved', schema: Saved }, 400: invalid, 404: notFound },
    handler: ({ params, req }, res) => sendSaveResult(res, flows.update(params.id, req.body), 200, present),
  });

  api.add({
    method: 'delete',
    path: '/api/flows/:id',
    tag: 'flows',
    summary: 'Delete a flow (its unfinished runs are cancelled; history is kept)',
    params: IdParams,
    responses: { 204: { description: 'Deleted' }, 404: notFound },
    handler: ({ params }, res) => {
      if (!flows.repo.delete(params.id))
        return sendError(res, 404, 'not_found', `no flow with id "${params.id}"`);
      res.status(204).end();
    },
  });

  api.add({
    method: 'get',
    path: '/api/flows/:id/export',
    tag: 'flows',
    summary: 'Export the current version as portable JSON (credentials are referenced by name only)',
    params: IdParams,
    responses: { 200: { description: 'The flow document', schema: Flow }, 404: notFound },
    handler: ({ params }, res) => {
      const flow = flows.repo.get(params.id);
      if (!flow) return sendError(res, 404, 'not_found', `no flow with id "${params.id}"`);
      res.setHeader('content-disposition', `attachment; filename="${params.id}.flow.json"`);
      res.type('application/json').send(`${JSON.stringify(flow.document, null, 2)}\n`);
    },
  });

  for (const action of ['activate', 'deactivate'] as const) {
    api.add({
      method: 'post',
      path: `/api/flows/:id/${action}`,
      tag: 'flows',
      summary:
        action === 'activate'
          ? 'Activate: its trigger starts runs'
          : 'Deactivate: its trigger stops starting runs',
      params: IdParams,
      responses: { 200: { description: 'The flow', schema: FlowRecord }, 404: notFound },
      handler: ({ params }, res) => {
        const flow = flows.repo.setActive(params.id, action === 'activate');
        if (!flow) return sendError(res, 404, 'not_found', `no flow with id "${params.id}"`);
        res.json(present(flow));
      },
    });
  }

  api.add({
    method: 'get',
    path: '/api/flows/:id/versions',
    tag: 'flows',
    summary: 'Version history, newest first',
    params: IdParams,
    responses: {
      200: {
        description: 'Versions',
        schema: z.object({ items: z.array(z.object({ version: z.int(), createdAt: z.string() })) }),
      },
      404: notFound,
    },
    handler: ({ params }, res) => {
      if (!flows.repo.get(params.id))
        return sendError(res, 404, 'not_found', `no flow with id "${params.id}"`);
      res.json({ items: flows.repo.versions(params.id) });
    },
  });

  api.add({
    method: 'get',
    path: '/api/flows/:id/versions/:version',
    tag: 'flows',
    summary: 'One stored version of a flow',
    params: IdParams.extend({ version: z.coerce.number().int().min(1) }),
    responses: { 200: { description: 'The document of that version', schema: Flow }, 404: notFound },
    handler: ({ params }, res) => {
      const doc = flows.repo.getVersion(params.id, params.version);
      if (!doc)
        return sendError(res, 404, 'not_found', `flow "${params.id}" has no version ${params.version}`);
      res.json(doc);
    },
  });

  api.add({
    method: 'post',
    path: '/api/flows/:id/runs',
    tag: 'executions',
    summary: 'Start a run of the current version with a test payload (manual trigger)',
    params: IdParams,
    body: z.object({ payload: z.unknown().optional(), contactId: z.string().max(200).optional() }),
    responses: { 202: { description: 'Queued', schema: z.object({ runId: z.string() }) }, 404: notFound },
    handler: async ({ params, body }, res) => {
      const current = flows.repo.get(params.id);
      const flow = current && (await flows.getFlow(params.id, current.version));
      if (!current || !flow) return sendError(res, 404, 'not_found', `no flow with id "${params.id}"`);
      const runId = await rt.engine.startRun({
        flow,
        flowVersion: current.version,
        payload: (body.payload ?? null) as never,
        contactId: body.contactId ?? null,
      });
      rt.scheduler?.nudge();
      res.status(202).json({ runId });
    },
  });
}
