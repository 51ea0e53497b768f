import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { SegmentFilter } from '../contacts/segment-filter.js';
import { BUILDERS } from '../roles.js';
import type { Runtime } from '../runtime.js';
import { ContactBody } from './contacts.js';

const TAG = 'contacts';
const IdParams = z.object({ id: z.string().max(100) });
const Name = z.string().trim().min(1).max(100);
const SegmentBody = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  filter: SegmentFilter,
  createdAt: z.string(),
  updatedAt: z.string(),
});
const NewBody = z.strictObject({
  name: Name,
  description: z.string().max(500).default(''),
  filter: SegmentFilter,
});
const PatchBody = z.strictObject({
  name: Name.optional(),
  description: z.string().max(500).optional(),
  filter: SegmentFilter.optional(),
});

/** Saved segments (docs/contacts.md): named contact filters that campaigns resolve. */
export function segmentRoutes(api: Api, rt: Runtime): void {
  const repo = rt.database.repos.segments;
  const notFound = (res: Parameters<typeof sendError>[0], id: string) =>
    sendError(res, 404, 'not_found', `no segment ${id}`);
  const nameTaken = async (name: string, id?: string) => {
    const other = await repo.byName(name);
    return other !== undefined && other.id !== id;
  };
  const taken = (res: Parameters<typeof sendError>[0], name: string) =>
    sendError(res, 409, 'name_taken', `a segment named "${name}" exists already`, [
      { path: '$.body.name', message: 'segment names are unique' },
    ]);

  api.add({
    method: 'get',
    path: '/api/segments',
    roles: BUILDERS,
    tag: TAG,
    summary: 'Saved segments, by name',
    responses: { 200: { description: 'Segments', schema: z.object({ items: z.array(SegmentBody) }) } },
    handler: async (_, res) => {
      res.json({ items: await repo.list() });
    },
  });

  api.add({
    method: 'post',
    path: '/api/segments',
    roles: BUILDERS,
    tag: TAG,
    summary: 'Save a segment: a unique name and a contact filter',
    body: NewBody,
    responses: {
      201: { description: 'Created', schema: SegmentBody },
      400: { description: 'invalid_request: the filter’s problems', schema: ErrorBody },
      409: { description: 'name_taken', schema: ErrorBody },
    },
    handler: async ({ body, req }, res) => {
      if (await nameTaken(body.name)) return taken(res, body.name);
      const created = await repo.create({ id: crypto.randomUUID(), ...body }, new Date().toISOString());
      await rt.audit.request(
        req,
        res,
        'segment.created',
        { kind: 'segment', id: created.id },
        { name: created.name },
      );
      res.status(201).json(created);
    },
  });

  api.add({
    method: 'get',
    path: '/api/segments/:id',
    roles: BUILDERS,
    tag: TAG,
    summary: 'One segment',
    params: IdParams,
    responses: {
      200: { description: 'The segment', schema: SegmentBody },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const found = await repo.get(params.id);
      if (!found) return notFound(res, params.id);
      res.json(found);
    },
  });

  api.add({
    method: 'patch',
    path: '/api/segments/:id',
    roles: BUILDERS,
    tag: TAG,
    summary: 'Rename a segment or change its description or filter',
    params: IdParams,
    body: PatchBody,
    responses: {
      200: { description: 'Changed', schema: SegmentBody },
      400: { description: 'invalid_request', schema: ErrorBody },
      404: { description: 'Unknown', schema: ErrorBody },
      409: { description: 'name_taken', schema: ErrorBody },
    },
    handler: async ({ params, body, req }, res) => {
      if (!(await repo.get(params.id))) return notFound(res, params.id);
      if (body.name !== undefined && (await nameTaken(body.name, params.id))) return taken(res, body.name);
      const updated = await repo.update(params.id, body, new Date().toISOString());
      if (!updated) return notFound(res, params.id);
      await rt.audit.request(
        req,
        res,
        'segment.updated',
        { kind: 'segment', id: params.id },
        { changed: Object.keys(body) },
      );
      res.json(updated);
    },
  });

  api.add({
    method: 'delete',
    path: '/api/segments/:id',
    roles: BUILDERS,
    tag: TAG,
    summary: 'Remove a segment (its contacts stay)',
    params: IdParams,
    responses: { 204: { description: 'Removed' }, 404: { description: 'Unknown', schema: ErrorBody } },
    handler: async ({ params, req }, res) => {
      if (!(await repo.remove(params.id))) return notFound(res, params.id);
      await rt.audit.request(req, res, 'segment.deleted', { kind: 'segment', id: params.id }, null);
      res.status(204).end();
    },
  });

  api.add({
    method: 'get',
    path: '/api/segments/:id/preview',
    roles: BUILDERS,
    tag: TAG,
    summary: 'How many contacts a segment selects now, and the first of them (by id)',
    params: IdParams,
    query: z.object({ limit: z.coerce.number().int().min(0).max(100).default(20) }),
    responses: {
      200: {
        description: 'Count and first contacts',
        schema: z.object({ count: z.number(), items: z.array(ContactBody.omit({ windowOpen: true })) }),
      },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params, query }, res) => {
      const segment = await repo.get(params.id);
      if (!segment) return notFound(res, params.id);
      const now = new Date().toISOString();
      const [count, items] = await Promise.all([
        repo.count(segment.filter, now),
        query.limit > 0 ? repo.resolve(segment.filter, { now, limit: query.limit }) : [],
      ]);
      res.json({ count, items });
    },
  });

  api.add({
    method: 'post',
    path: '/api/segments/preview',
    roles: BUILDERS,
    tag: TAG,
    summary: 'Count and first contacts of a filter not saved yet (the editor’s filter builder)',
    body: z.strictObject({ filter: SegmentFilter, limit: z.number().int().min(0).max(100).default(20) }),
    responses: {
      200: {
        description: 'Count and first contacts',
        schema: z.object({ count: z.number(), items: z.array(ContactBody.omit({ windowOpen: true })) }),
      },
      400: { description: 'invalid_request: the filter’s problems', schema: ErrorBody },
    },
    handler: async ({ body }, res) => {
      const now = new Date().toISOString();
      const [count, items] = await Promise.all([
        repo.count(body.filter, now),
        body.limit > 0 ? repo.resolve(body.filter, { now, limit: body.limit }) : [],
      ]);
      res.json({ count, items });
    },
  });
}
