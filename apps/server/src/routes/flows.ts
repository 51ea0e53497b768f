import { Flow, Identifier, type Problem, withoutInlineSecrets } from '@switchboard/flow-schema';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import type { FlowService, SaveResult } from '../flow-service.js';
import { BUILDERS, FLOW_READERS } from '../roles.js';
import type { Runtime } from '../runtime.js';

export const FlowRecord = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  active: z.boolean(),
  version: z.int(),
  valid: z
    .boolean()
    .describe('The latest version has no validation errors; false: it is a draft, which never runs'),
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
const Saved = z.object({
  flow: FlowRecord,
  warnings: z.array(ProblemBody).describe('Warnings (the flow runs anyway)'),
  problems: z.array(ProblemBody).describe('Errors of a draft (empty for a valid flow)'),
});
const IdParams = z.object({ id: Identifier });
const DraftQuery = z.object({
  draft: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .optional()
    .describe(
      'true: store a document with validation errors as a draft (it must still be shaped like a flow)',
    ),
});
const notFound = { description: 'No flow with this id', schema: ErrorBody };
const invalid = {
  description: 'The flow has problems; each is listed with its JSON path',
  schema: ErrorBody,
};
const activeConflict = {
  description: 'flow_active: an active flow only takes valid versions (deactivate it to save a draft)',
  schema: ErrorBody,
};

type Res = Parameters<Parameters<Api['add']>[0]['handler']>[1];

/** The 400 for a flow with errors: every problem, errors and warnings, with its path. */
export function sendInvalidFlow(res: Res, problems: Problem[], what = 'the flow') {
  const errors = problems.filter((p) => p.severity === 'error').length;
  sendError(res, 400, 'invalid_flow', `${what} has ${errors} problem(s)`, problems);
}

async function sendSaveResult(
  res: Res,
  result: SaveResult,
  okStatus: number,
  present: <F extends { id: string }>(flow: F) => Promise<F & { nextRunAt: string | null }>,
) {
  if (result.ok) {
    res
      .status(okStatus)
      .json({ flow: await present(result.flow), warnings: result.warnings, problems: result.problems });
  } else if ('problems' in result) {
    sendInvalidFlow(res, result.problems);
  } else if ('conflict' in result) {
    sendError(res, 409, 'flow_exists', result.conflict);
  } else if ('active' in result) {
    sendError(res, 409, 'flow_active', result.active);
  } else {
    sendError(res, 404, 'not_found', `no flow with id "${result.notFound}"`);
  }
}

/** `<id>-copy`, then `<id>-copy-2`, `-copy-3`…: the first that is free (and still a valid id). */
async function copyId(flows: FlowService, id: string): Promise<string | undefined> {
  const stem = `${id.slice(0, 100 - '-copy-999'.length)}-copy`;
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? stem : `${stem}-${n}`;
    if (!(await flows.repo.get(candidate))) return candidate;
  }
  return undefined;
}

/** Audit: a save that stored something (a save that changed nothing is no event), by the request's principal. */
async function auditSave(
  rt: Runtime,
  req: Parameters<Runtime['audit']['request']>[0],
  res: Res,
  result: SaveResult,
  action: 'flow.created' | 'flow.updated' | 'flow.restored',
  data: Record<string, unknown> = {},
) {
  if (!result.ok || (!result.created && !result.changed)) return;
  await rt.audit.request(
    req,
    res,
    action,
    { kind: 'flow', id: result.flow.id },
    { name: result.flow.name, version: result.flow.version, draft: !result.flow.valid, ...data },
  );
}

export function flowRoutes(api: Api, rt: Runtime, flows: FlowService): void {
  /** A flow record as the API shows it: with its next scheduled run, if it has one. */
  const present = async <F extends { id: string }>(flow: F) => ({
    ...flow,
    nextRunAt: await rt.schedules.nextRunAt(flow.id),
  });

  api.add({
    method: 'post',
    path: '/api/flows',
    roles: BUILDERS,
    tag: 'flows',
    summary: 'Import a flow (JSON document, schemaVersion 1 or older); `?draft=true` keeps one with errors',
    query: DraftQuery,
    bodyDoc: Flow,
    responses: {
      201: { description: 'Created', schema: Saved },
      400: invalid,
      409: { description: 'Id in use', schema: ErrorBody },
    },
    handler: async ({ query, req }, res) => {
      const result = await flows.create(req.body, { draft: query.draft === 'true' });
      await auditSave(rt, req, res, result, 'flow.created');
      await sendSaveResult(res, result, 201, present);
    },
  });

  // Before `/api/flows/:id/...`: "validate" would otherwise read as a flow id on other methods.
  api.add({
    method: 'post',
    path: '/api/flows/validate',
    roles: BUILDERS,
    tag: 'flows',
    summary: 'Check a flow document without storing it: every error and warning a save would report',
    bodyDoc: Flow,
    responses: {
      200: {
        description: '`ok` is true when there are no errors (warnings allowed)',
        schema: z.object({ ok: z.boolean(), problems: z.array(ProblemBody) }),
      },
    },
    handler: ({ req }, res) => {
      const result = flows.validate(req.body);
      res.json({ ok: result.ok, problems: result.problems });
    },
  });

  api.add({
    method: 'get',
    path: '/api/flows',
    roles: FLOW_READERS,
    tag: 'flows',
    summary: 'List flows',
    query: z.object({
      search: z.string().max(200).optional(),
      active: z.enum(['true', 'false']).optional(),
    }),
    responses: { 200: { description: 'Flows by name', schema: z.object({ items: z.array(FlowRecord) }) } },
    handler: async ({ query }, res) => {
      const items = await flows.repo.list({
        ...(query.search ? { search: query.search } : {}),
        ...(query.active ? { active: query.active === 'true' } : {}),
      });
      const presented = [];
      for (const item of items) presented.push(await present(item));
      res.json({ items: presented });
    },
  });

  api.add({
    method: 'get',
    path: '/api/flows/:id',
    roles: FLOW_READERS,
    tag: 'flows',
    summary: 'Get a flow with its current document',
    params: IdParams,
    responses: {
      200: { description: 'The flow', schema: FlowRecord.extend({ document: Flow }) },
      404: notFound,
    },
    handler: async ({ params }, res) => {
      const flow = await flows.repo.get(params.id);
      if (!flow) return sendError(res, 404, 'not_found', `no flow with id "${params.id}"`);
      res.json(await present(flow));
    },
  });

  api.add({
    method: 'put',
    path: '/api/flows/:id',
    roles: BUILDERS,
    tag: 'flows',
    summary:
      'Save a new version of a flow (rename it by changing `name`); `?draft=true` keeps one with errors',
    params: IdParams,
    query: DraftQuery,
    bodyDoc: Flow,
    responses: {
      200: { description: 'Saved', schema: Saved },
      400: invalid,
      404: notFound,
      409: activeConflict,
    },
    handler: async ({ params, query, req }, res) => {
      const result = await flows.update(params.id, req.body, { draft: query.draft === 'true' });
      await auditSave(rt, req, res, result, 'flow.updated');
      await sendSaveResult(res, result, 200, present);
    },
  });

  api.add({
    method: 'post',
    path: '/api/flows/:id/duplicate',
    roles: BUILDERS,
    tag: 'flows',
    summary: 'Copy a flow’s latest version into a new, inactive flow (a draft stays a draft)',
    params: IdParams,
    body: z.strictObject({
      id: Identifier.optional().describe('Default: "<id>-copy", then "<id>-copy-2"…'),
      name: z.string().min(1, 'must not be empty').max(200).optional().describe('Default: "<name> (copy)"'),
    }),
    responses: {
      201: { description: 'The copy', schema: Saved },
      400: invalid,
      404: notFound,
      409: { description: 'flow_exists: the id is taken', schema: ErrorBody },
    },
    handler: async ({ params, body, req }, res) => {
      const source = await flows.repo.get(params.id);
      if (!source) return sendError(res, 404, 'not_found', `no flow with id "${params.id}"`);
      const id = body.id ?? (await copyId(flows, params.id));
      if (!id)
        return sendError(res, 409, 'flow_exists', `every copy id of "${params.id}" is taken; give an id`);
      const name = body.name ?? `${source.name} (copy)`.slice(0, 200);
      const doc = { ...source.document, id, name };
      const result = await flows.create(doc, { draft: !source.valid });
      await auditSave(rt, req, res, result, 'flow.created', { copiedFrom: params.id });
      await sendSaveResult(res, result, 201, present);
    },
  });

  api.add({
    method: 'delete',
    path: '/api/flows/:id',
    roles: BUILDERS,
    tag: 'flows',
    summary: 'Delete a flow (its unfinished runs are cancelled; history is kept)',
    params: IdParams,
    responses: { 204: { description: 'Deleted' }, 404: notFound },
    handler: async ({ params, req }, res) => {
      const name = (await flows.repo.get(params.id))?.name;
      if (!(await flows.remove(params.id)))
        return sendError(res, 404, 'not_found', `no flow with id "${params.id}"`);
      await rt.audit.request(
        req,
        res,
        'flow.deleted',
        { kind: 'flow', id: params.id },
        name ? { name } : null,
      );
      res.status(204).end();
    },
  });

  api.add({
    method: 'get',
    path: '/api/flows/:id/export',
    roles: FLOW_READERS,
    tag: 'flows',
    summary:
      'Export the current version as portable JSON (credentials are referenced by name only; a secret typed into a draft is emptied and its path listed in X-Switchboard-Removed-Secrets)',
    params: IdParams,
    responses: { 200: { description: 'The flow document', schema: Flow }, 404: notFound },
    handler: async ({ params }, res) => {
      const flow = await flows.repo.get(params.id);
      if (!flow) return sendError(res, 404, 'not_found', `no flow with id "${params.id}"`);
      // A draft may hold a secret typed into a node (validation flags it); it never leaves in a file.
      const { flow: document, removed } = withoutInlineSecrets(flow.document);
      if (removed.length > 0) res.setHeader('x-switchboard-removed-secrets', removed.join(', '));
      res.setHeader('content-disposition', `attachment; filename="${params.id}.flow.json"`);
      res.type('application/json').send(`${JSON.stringify(document, null, 2)}\n`);
    },
  });

  for (const action of ['activate', 'deactivate'] as const) {
    api.add({
      method: 'post',
      path: `/api/flows/:id/${action}`,
      roles: BUILDERS,
      tag: 'flows',
      summary:
        action === 'activate'
          ? 'Activate: its trigger starts runs'
          : 'Deactivate: its trigger stops starting runs',
      params: IdParams,
      responses:
        action === 'activate'
          ? {
              200: { description: 'The flow', schema: FlowRecord },
              400: { ...invalid, description: 'invalid_flow: the latest version is a draft' },
              404: notFound,
            }
          : { 200: { description: 'The flow', schema: FlowRecord }, 404: notFound },
      handler: async ({ params, req }, res) => {
        const current = await flows.repo.get(params.id);
        if (action === 'activate' && current && !current.valid) {
          return sendInvalidFlow(
            res,
            await flows.problemsOf(params.id, current.version),
            `version ${current.version} of "${params.id}" is a draft and cannot go live: it`,
          );
        }
        const flow = await flows.setActive(params.id, action === 'activate');
        if (!flow) return sendError(res, 404, 'not_found', `no flow with id "${params.id}"`);
        if (current && current.active !== flow.active)
          await rt.audit.request(
            req,
            res,
            `flow.${action}d`,
            { kind: 'flow', id: params.id },
            {
              name: flow.name,
              version: flow.version,
            },
          );
        res.json(await present(flow));
      },
    });
  }

  api.add({
    method: 'get',
    path: '/api/flows/:id/versions',
    roles: FLOW_READERS,
    tag: 'flows',
    summary: 'Version history, newest first',
    params: IdParams,
    responses: {
      200: {
        description: 'Versions',
        schema: z.object({
          items: z.array(z.object({ version: z.int(), valid: z.boolean(), createdAt: z.string() })),
        }),
      },
      404: notFound,
    },
    handler: async ({ params }, res) => {
      if (!(await flows.repo.get(params.id)))
        return sendError(res, 404, 'not_found', `no flow with id "${params.id}"`);
      res.json({ items: await flows.repo.versions(params.id) });
    },
  });

  api.add({
    method: 'get',
    path: '/api/flows/:id/versions/:version',
    roles: FLOW_READERS,
    tag: 'flows',
    summary: 'One stored version of a flow',
    params: IdParams.extend({ version: z.coerce.number().int().min(1) }),
    responses: { 200: { description: 'The document of that version', schema: Flow }, 404: notFound },
    handler: async ({ params }, res) => {
      const doc = await flows.repo.getVersion(params.id, params.version);
      if (!doc)
        return sendError(res, 404, 'not_found', `flow "${params.id}" has no version ${params.version}`);
      res.json(doc);
    },
  });

  api.add({
    method: 'post',
    path: '/api/flows/:id/versions/:version/restore',
    roles: BUILDERS,
    tag: 'flows',
    summary: 'Save an earlier version’s document as the new latest version (a draft if it has errors)',
    params: IdParams.extend({ version: z.coerce.number().int().min(1) }),
    responses: {
      200: { description: 'Saved', schema: Saved },
      404: notFound,
      409: activeConflict,
    },
    handler: async ({ params, req }, res) => {
      const doc = await flows.repo.getVersion(params.id, params.version);
      if (!doc || !(await flows.repo.get(params.id)))
        return sendError(res, 404, 'not_found', `flow "${params.id}" has no version ${params.version}`);
      const result = await flows.update(params.id, doc, { draft: true });
      await auditSave(rt, req, res, result, 'flow.restored', { fromVersion: params.version });
      await sendSaveResult(res, result, 200, present);
    },
  });

  api.add({
    method: 'post',
    path: '/api/flows/:id/runs',
    roles: BUILDERS,
    tag: 'executions',
    summary: 'Start a run of the current version with a test payload (manual trigger)',
    params: IdParams,
    body: z.object({ payload: z.unknown().optional(), contactId: z.string().max(200).optional() }),
    responses: {
      202: { description: 'Queued', schema: z.object({ runId: z.string() }) },
      404: notFound,
      409: { description: 'invalid_flow: the latest version is a draft', schema: ErrorBody },
    },
    handler: async ({ params, body }, res) => {
      const latest = await flows.latest(params.id);
      if (!latest.ok) {
        if ('notFound' in latest) return sendError(res, 404, 'not_found', `no flow with id "${params.id}"`);
        return sendDraftConflict(res, params.id, latest.problems);
      }
      const runId = await rt.engine.startRun({
        flow: latest.flow,
        flowVersion: latest.version,
        payload: (body.payload ?? null) as never,
        contactId: body.contactId ?? null,
      });
      rt.scheduler?.nudge();
      res.status(202).json({ runId });
    },
  });
}

/** The 409 for starting a run of a flow whose latest version is a draft. */
export function sendDraftConflict(res: Res, id: string, problems: Problem[]) {
  sendError(
    res,
    409,
    'invalid_flow',
    `the latest version of "${id}" is a draft with ${problems.filter((p) => p.severity === 'error').length} problem(s); drafts never run: fix and save it first`,
    problems,
  );
}
