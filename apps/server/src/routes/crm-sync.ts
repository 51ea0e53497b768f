import { Identifier } from '@switchboard/flow-schema';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { SIMULATOR_CHANNEL } from '../channels.js';
import { CRM_PROVIDERS, HUBSPOT_LOG_AS } from '../crm-sync/index.js';
import { ADMINS } from '../roles.js';
import type { Runtime } from '../runtime.js';

const TAG = 'whatsapp';

const SettingBody = z.object({
  channel: z.string(),
  provider: z.enum(CRM_PROVIDERS),
  credential: z.string(),
  logAs: z.string().describe('HubSpot: note or communication; Bitrix24: comment'),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const RecordBody = z.object({
  id: z.string(),
  channel: z.string(),
  messageId: z.string().describe("Meta's wamid (inbound) or the outbox id (ours)"),
  direction: z.enum(['in', 'out']),
  waId: z.string(),
  name: z.string().nullable(),
  text: z.string(),
  messageAt: z.string(),
  provider: z.string(),
  status: z.enum(['pending', 'syncing', 'synced', 'dead', 'skipped']),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  firstAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  crmContactId: z.string().nullable(),
  contactCreated: z.boolean(),
  crmRecordId: z.string().nullable(),
  createdAt: z.string(),
  syncedAt: z.string().nullable(),
});
const Params = z.object({ id: Identifier });
const PutBody = z.strictObject({
  provider: z.enum(CRM_PROVIDERS, { message: `must be one of ${CRM_PROVIDERS.join(', ')}` }),
  credential: z.string().min(1, 'name a stored credential of the provider’s type').max(100),
  logAs: z
    .enum([...HUBSPOT_LOG_AS, 'comment'], {
      message: 'must be note or communication (HubSpot), comment (Bitrix24)',
    })
    .optional(),
  enabled: z.boolean().default(true),
});

type Res = Parameters<typeof sendError>[0];

/**
 * CRM timeline sync per channel (docs/integrations.md): which CRM logs the channel's messages, through
 * which stored credential, and the sync records (with the dead ones replayable).
 */
export function crmSyncRoutes(api: Api, rt: Runtime): void {
  const repo = rt.database.repos.crmSync;
  const unknownChannel = (res: Res, id: string) => sendError(res, 404, 'not_found', `no channel "${id}"`);
  const known = (id: string) => id !== SIMULATOR_CHANNEL && rt.channels.get(id) !== undefined;

  api.add({
    method: 'get',
    path: '/api/channels/:id/crm-sync',
    roles: ADMINS,
    tag: TAG,
    summary: 'The channel’s CRM timeline sync (`setting` is null when none is set up)',
    params: Params,
    responses: {
      200: { description: 'The setting, or null', schema: z.object({ setting: SettingBody.nullable() }) },
      404: { description: 'Unknown channel', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      if (!known(params.id)) return unknownChannel(res, params.id);
      res.json({ setting: (await repo.setting(params.id)) ?? null });
    },
  });

  api.add({
    method: 'put',
    path: '/api/channels/:id/crm-sync',
    roles: ADMINS,
    tag: TAG,
    summary: 'Log every inbound and outbound message of the channel on the contact’s CRM timeline',
    params: Params,
    body: PutBody,
    responses: {
      200: { description: 'Saved', schema: SettingBody },
      400: {
        description: 'invalid_request: the credential is unknown or of another type',
        schema: ErrorBody,
      },
      404: { description: 'Unknown channel', schema: ErrorBody },
    },
    handler: async ({ params, body, req }, res) => {
      if (!known(params.id)) return unknownChannel(res, params.id);
      const credential = await rt.credentials.info(body.credential);
      const problem = !credential
        ? `no stored credential "${body.credential}"`
        : credential.type !== body.provider
          ? `credential "${body.credential}" is of type ${credential.type}; ${body.provider} needs a ${body.provider} credential`
          : undefined;
      if (problem)
        return sendError(res, 400, 'invalid_request', problem, [
          { path: '$.body.credential', message: problem },
        ]);
      const logAs = body.provider === 'bitrix24' ? 'comment' : (body.logAs ?? 'note');
      if (body.provider === 'hubspot' && logAs === 'comment') {
        const message = 'HubSpot logs a message as a note or a communication';
        return sendError(res, 400, 'invalid_request', message, [{ path: '$.body.logAs', message }]);
      }
      const saved = await repo.putSetting(
        {
          channel: params.id,
          provider: body.provider,
          credential: body.credential,
          logAs,
          enabled: body.enabled,
        },
        new Date().toISOString(),
      );
      rt.crmSyncTap.forget();
      await rt.audit.request(
        req,
        res,
        'channel.crm_sync_set',
        { kind: 'channel', id: params.id },
        { provider: saved.provider, credential: saved.credential, logAs, enabled: saved.enabled },
      );
      res.json(saved);
    },
  });

  api.add({
    method: 'delete',
    path: '/api/channels/:id/crm-sync',
    roles: ADMINS,
    tag: TAG,
    summary: 'Stop logging the channel’s messages on a CRM (records already made stay)',
    params: Params,
    responses: { 204: { description: 'Removed' }, 404: { description: 'No sync set up', schema: ErrorBody } },
    handler: async ({ params, req }, res) => {
      if (!(await repo.removeSetting(params.id)))
        return sendError(res, 404, 'not_found', `channel "${params.id}" has no CRM sync`);
      rt.crmSyncTap.forget();
      await rt.audit.request(req, res, 'channel.crm_sync_removed', { kind: 'channel', id: params.id }, null);
      res.status(204).end();
    },
  });

  api.add({
    method: 'get',
    path: '/api/channels/:id/crm-sync/records',
    roles: ADMINS,
    tag: TAG,
    summary: 'The channel’s sync records, newest first (status=dead: the ones that need a replay)',
    params: Params,
    query: z.object({
      status: z.enum(['pending', 'syncing', 'synced', 'dead', 'skipped']).optional(),
      limit: z.coerce.number().int().min(1).max(500).optional(),
    }),
    responses: { 200: { description: 'Records', schema: z.object({ items: z.array(RecordBody) }) } },
    handler: async ({ params, query }, res) => {
      const filter = {
        ...(query.status ? { status: query.status } : {}),
        ...(query.limit ? { limit: query.limit } : {}),
      };
      res.json({ items: (await repo.list(params.id, filter)).map(({ claimExpiresAt: _c, ...r }) => r) });
    },
  });

  api.add({
    method: 'post',
    path: '/api/channels/:id/crm-sync/records/:recordId/replay',
    roles: ADMINS,
    tag: TAG,
    summary: 'Try a dead record again now (a synced one is never written twice)',
    params: Params.extend({ recordId: z.string().max(100) }),
    responses: {
      202: { description: 'Pending again', schema: RecordBody },
      404: { description: 'No dead record with this id on the channel', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const row = await repo.replay(params.id, params.recordId, new Date().toISOString());
      if (!row)
        return sendError(
          res,
          404,
          'not_found',
          `channel "${params.id}" has no dead sync record "${params.recordId}"`,
        );
      rt.crmSync?.nudge();
      const { claimExpiresAt: _c, ...rest } = row;
      res.status(202).json(rest);
    },
  });

  api.add({
    method: 'post',
    path: '/api/channels/:id/crm-sync/replay-dead',
    roles: ADMINS,
    tag: TAG,
    summary: 'Try every dead record of the channel again now',
    params: Params,
    responses: { 200: { description: 'How many', schema: z.object({ replayed: z.number() }) } },
    handler: async ({ params }, res) => {
      const replayed = await repo.replayDead(params.id, new Date().toISOString());
      if (replayed > 0) rt.crmSync?.nudge();
      res.json({ replayed });
    },
  });
}
