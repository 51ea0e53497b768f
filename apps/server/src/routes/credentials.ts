import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import {
  CREDENTIAL_TYPES,
  CredentialBody,
  type CredentialInput,
  CredentialName,
  InvalidCredentialError,
  NewCredentialBody,
} from '../http/credentials.js';
import { ADMINS, BUILDERS } from '../roles.js';
import type { Runtime } from '../runtime.js';

const CredentialInfoBody = z.object({
  name: z.string(),
  type: z.enum(CREDENTIAL_TYPES),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

const TAG = 'credentials';
const NameParams = z.object({ name: CredentialName });

/** Maps the service's data check (run again there, for callers that skip the route) to a 400. */
function invalid(res: Parameters<typeof sendError>[0], error: unknown) {
  if (!(error instanceof InvalidCredentialError)) throw error;
  sendError(
    res,
    400,
    'invalid_request',
    error.message,
    error.problems.map((p) => ({ ...p, path: `$.body.${p.path}` })),
  );
}

/**
 * Stored credentials for HTTP, CRM, Slack and helpdesk nodes. Data goes in and never comes out: every
 * answer carries only name, type and times.
 */
export function credentialRoutes(api: Api, rt: Runtime): void {
  api.add({
    method: 'get',
    path: '/api/credentials',
    roles: BUILDERS,
    tag: TAG,
    summary: 'Stored credentials: name, type and times only (the data is never returned)',
    responses: {
      200: { description: 'Credentials', schema: z.object({ items: z.array(CredentialInfoBody) }) },
    },
    handler: async (_, res) => {
      res.json({ items: await rt.credentials.list() });
    },
  });

  api.add({
    method: 'get',
    path: '/api/credentials/:name',
    roles: BUILDERS,
    tag: TAG,
    summary: 'One credential (name, type and times only)',
    params: NameParams,
    responses: {
      200: { description: 'The credential', schema: CredentialInfoBody },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const found = await rt.credentials.info(params.name);
      if (!found) return sendError(res, 404, 'not_found', `no credential "${params.name}"`);
      res.json(found);
    },
  });

  api.add({
    method: 'post',
    path: '/api/credentials',
    roles: ADMINS,
    tag: TAG,
    summary: 'Store a credential (encrypted at rest); `data` depends on `type`',
    body: NewCredentialBody,
    responses: {
      201: { description: 'Stored', schema: CredentialInfoBody },
      400: { description: 'invalid_request: the problems name each bad field of `data`', schema: ErrorBody },
      409: { description: 'credential_exists: the name is taken (PUT replaces)', schema: ErrorBody },
    },
    handler: async ({ body, req }, res) => {
      const { name, ...input } = body as { name: string } & CredentialInput;
      try {
        const created = await rt.credentials.create(name, input, new Date().toISOString());
        if (!created)
          return sendError(
            res,
            409,
            'credential_exists',
            `credential "${name}" exists; PUT /api/credentials/${name} replaces it`,
          );
        await rt.audit.request(
          req,
          res,
          'credential.created',
          { kind: 'credential', id: name },
          { type: created.type },
        );
        res.status(201).json(created);
      } catch (error) {
        invalid(res, error);
      }
    },
  });

  api.add({
    method: 'put',
    path: '/api/credentials/:name',
    roles: ADMINS,
    tag: TAG,
    summary: "Replace a credential's data (and type)",
    params: NameParams,
    body: CredentialBody,
    responses: {
      200: { description: 'Replaced', schema: CredentialInfoBody },
      400: { description: 'invalid_request: the problems name each bad field of `data`', schema: ErrorBody },
      404: { description: 'Unknown (POST creates)', schema: ErrorBody },
    },
    handler: async ({ params, body, req }, res) => {
      try {
        const replaced = await rt.credentials.replace(
          params.name,
          body as CredentialInput,
          new Date().toISOString(),
        );
        if (!replaced) return sendError(res, 404, 'not_found', `no credential "${params.name}"`);
        await rt.audit.request(
          req,
          res,
          'credential.replaced',
          { kind: 'credential', id: params.name },
          { type: replaced.type },
        );
        res.json(replaced);
      } catch (error) {
        invalid(res, error);
      }
    },
  });

  api.add({
    method: 'delete',
    path: '/api/credentials/:name',
    roles: ADMINS,
    tag: TAG,
    summary: 'Remove a credential (nodes that name it then fail with reason `credential`)',
    params: NameParams,
    responses: { 204: { description: 'Removed' }, 404: { description: 'Unknown', schema: ErrorBody } },
    handler: async ({ params, req }, res) => {
      const type = (await rt.credentials.info(params.name))?.type;
      if (!(await rt.credentials.remove(params.name)))
        return sendError(res, 404, 'not_found', `no credential "${params.name}"`);
      await rt.audit.request(
        req,
        res,
        'credential.deleted',
        { kind: 'credential', id: params.name },
        type ? { type } : null,
      );
      res.status(204).end();
    },
  });
}
