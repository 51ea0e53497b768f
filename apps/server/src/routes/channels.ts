import { Identifier } from '@switchboard/flow-schema';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { publicChannel, SIMULATOR_CHANNEL } from '../channels.js';
import { ADMINS } from '../roles.js';
import type { Runtime } from '../runtime.js';

const ChannelBody = z.object({
  id: z.string(),
  name: z.string(),
  phoneNumberId: z.string(),
  wabaId: z.string().nullable(),
  displayPhoneNumber: z.string().nullable(),
  secrets: z.object({ accessToken: z.boolean(), appSecret: z.boolean(), verifyToken: z.boolean() }),
});

const builtIn = (res: Parameters<typeof sendError>[0]) =>
  sendError(
    res,
    409,
    'builtin_channel',
    `channel "${SIMULATOR_CHANNEL}" is built in (the editor's simulator, always on the sandbox); it cannot be changed or removed`,
  );

export function channelRoutes(api: Api, rt: Runtime): void {
  api.add({
    method: 'get',
    path: '/api/channels',
    roles: ADMINS,
    tag: 'whatsapp',
    summary: 'Business numbers (secrets are never returned, only whether each is set)',
    responses: { 200: { description: 'Channels', schema: z.object({ items: z.array(ChannelBody) }) } },
    handler: (_, res) => res.json({ items: rt.channels.all().map(publicChannel) }),
  });

  api.add({
    method: 'put',
    path: '/api/channels/:id',
    roles: ADMINS,
    tag: 'whatsapp',
    summary: 'Add or change a business number; its secrets are stored encrypted',
    params: z.object({ id: Identifier }),
    body: z.strictObject({
      name: z.string().min(1).max(100),
      phoneNumberId: z.string().regex(/^\d{5,20}$/, 'must be the numeric phone number id'),
      wabaId: z.string().regex(/^\d+$/).nullable().default(null),
      displayPhoneNumber: z.string().max(30).nullable().default(null),
      accessToken: z.string().min(10),
      appSecret: z.string().min(8),
      verifyToken: z.string().min(4),
    }),
    responses: {
      200: { description: 'Saved', schema: ChannelBody },
      409: {
        description:
          'number_in_use: another channel has the number; builtin_channel: "simulator" is built in',
        schema: ErrorBody,
      },
    },
    handler: async ({ params, body, req }, res) => {
      if (params.id === SIMULATOR_CHANNEL) return builtIn(res);
      const other = rt.channels.byPhoneNumberId(body.phoneNumberId);
      if (other && other.id !== params.id) {
        return sendError(
          res,
          409,
          'number_in_use',
          `phone number id ${body.phoneNumberId} belongs to channel "${other.id}"`,
        );
      }
      const { accessToken, appSecret, verifyToken, ...rest } = body;
      const before = rt.channels.get(params.id);
      const saved = await rt.channels.save(
        { id: params.id, ...rest, secrets: { accessToken, appSecret, verifyToken } },
        new Date().toISOString(),
      );
      // Audit: which secrets changed, by name only (never a value).
      const changed = (['accessToken', 'appSecret', 'verifyToken'] as const).filter(
        (k) => before?.secrets[k] !== saved.secrets[k],
      );
      await rt.audit.request(
        req,
        res,
        before ? 'channel.updated' : 'channel.created',
        { kind: 'channel', id: params.id },
        {
          name: saved.name,
          phoneNumberId: saved.phoneNumberId,
          changed,
        },
      );
      res.json(publicChannel(saved));
    },
  });

  api.add({
    method: 'delete',
    path: '/api/channels/:id',
    roles: ADMINS,
    tag: 'whatsapp',
    summary: 'Remove a business number',
    params: z.object({ id: Identifier }),
    responses: {
      204: { description: 'Removed' },
      404: { description: 'Unknown', schema: ErrorBody },
      409: { description: 'builtin_channel: "simulator" is built in', schema: ErrorBody },
    },
    handler: async ({ params, req }, res) => {
      if (params.id === SIMULATOR_CHANNEL) return builtIn(res);
      if (!(await rt.channels.remove(params.id)))
        return sendError(res, 404, 'not_found', `no channel "${params.id}"`);
      await rt.audit.request(req, res, 'channel.deleted', { kind: 'channel', id: params.id });
      res.status(204).end();
    },
  });
}
