import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { ADMINS } from '../roles.js';
import type { Runtime } from '../runtime.js';
import { InvalidSubscriptionUrl, SUBSCRIPTION_EVENT_TYPES } from '../subscriptions/index.js';

const TAG = 'subscriptions';
const EventType = z.enum(SUBSCRIPTION_EVENT_TYPES, {
  message: `must be one of ${SUBSCRIPTION_EVENT_TYPES.join(', ')}`,
});
const Url = z.string().max(2_000).describe('http(s) URL; checked by the outbound guard');
const Secret = z
  .string()
  .min(16, 'must be at least 16 characters')
  .max(200, 'must be at most 200 characters')
  .describe('signing secret; generated when not given');

const SubscriptionBody = z.object({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const CreatedBody = SubscriptionBody.extend({
  secret: z.string().describe('shown this once: store it to verify signatures'),
});
const AttemptBody = z.object({
  at: z.string(),
  httpStatus: z.number().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
});
const DeliveryBody = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(['pending', 'delivering', 'delivered', 'dead']),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  firstAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastHttpStatus: z.number().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  event: z.unknown(),
  log: z.array(AttemptBody),
});

const IdParams = z.object({ id: z.string().max(100) });
const DeliveryParams = IdParams.extend({ deliveryId: z.string().max(100) });
const NewBody = z.object({
  url: Url,
  eventTypes: z.array(EventType).min(1, 'name at least one event type'),
  description: z.string().max(500).optional(),
  active: z.boolean().optional(),
  secret: Secret.optional(),
});
const PatchBody = z
  .object({
    url: Url.optional(),
    eventTypes: z.array(EventType).min(1, 'name at least one event type').optional(),
    description: z.string().max(500).optional(),
    active: z.boolean().optional(),
  })
  .strict();

type Res = Parameters<typeof sendError>[0];
const notFound = (res: Res, id: string) => sendError(res, 404, 'not_found', `no subscription "${id}"`);

/** Runs `work`; a URL the guard refuses becomes a 400 naming the URL and why. */
async function checked(res: Res, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof InvalidSubscriptionUrl)) throw error;
    sendError(res, 400, 'invalid_url', error.message, [{ path: '$.body.url', message: error.message }]);
  }
}

/**
 * Outgoing event subscriptions (docs/integrations.md): signed deliveries to other systems' URLs, their
 * log, the dead-letter list and replays. The secret is in the answer of the creation and of a rotation
 * only.
 */
export function subscriptionRoutes(api: Api, rt: Runtime): void {
  const subs = rt.subscriptions;

  api.add({
    method: 'get',
    path: '/api/subscriptions',
    roles: ADMINS,
    tag: TAG,
    summary: 'Subscriptions (never their secrets)',
    responses: {
      200: { description: 'Subscriptions', schema: z.object({ items: z.array(SubscriptionBody) }) },
    },
    handler: async (_, res) => {
      res.json({ items: await subs.list() });
    },
  });

  api.add({
    method: 'post',
    path: '/api/subscriptions',
    roles: ADMINS,
    tag: TAG,
    summary: 'Subscribe a URL to event types; the answer shows the signing secret, this once',
    body: NewBody,
    responses: {
      201: { description: 'Created, with its secret', schema: CreatedBody },
      400: {
        description: 'invalid_request, or invalid_url: the outbound guard refused the URL',
        schema: ErrorBody,
      },
    },
    handler: async ({ body, req }, res) =>
      checked(res, async () => {
        const created = await subs.create(body);
        await rt.audit.request(
          req,
          res,
          'subscription.created',
          { kind: 'subscription', id: created.id },
          // The origin only: a URL's path or query may carry a token of the receiver's.
          { origin: new URL(created.url).origin, eventTypes: created.eventTypes },
        );
        res.status(201).json(created);
      }),
  });

  api.add({
    method: 'get',
    path: '/api/subscriptions/:id',
    roles: ADMINS,
    tag: TAG,
    summary: 'One subscription (never its secret)',
    params: IdParams,
    responses: {
      200: { description: 'The subscription', schema: SubscriptionBody },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const found = await subs.get(params.id);
      if (!found) return notFound(res, params.id);
      res.json(found);
    },
  });

  api.add({
    method: 'patch',
    path: '/api/subscriptions/:id',
    roles: ADMINS,
    tag: TAG,
    summary: 'Change URL, event types, description or active (an inactive subscription gets no new events)',
    params: IdParams,
    body: PatchBody,
    responses: {
      200: { description: 'Changed', schema: SubscriptionBody },
      400: { description: 'invalid_request, or invalid_url', schema: ErrorBody },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params, body, req }, res) =>
      checked(res, async () => {
        const updated = await subs.update(params.id, body);
        if (!updated) return notFound(res, params.id);
        await rt.audit.request(
          req,
          res,
          'subscription.updated',
          { kind: 'subscription', id: params.id },
          { changed: Object.keys(body) },
        );
        res.json(updated);
      }),
  });

  api.add({
    method: 'delete',
    path: '/api/subscriptions/:id',
    roles: ADMINS,
    tag: TAG,
    summary: 'Remove a subscription with its deliveries and their log',
    params: IdParams,
    responses: { 204: { description: 'Removed' }, 404: { description: 'Unknown', schema: ErrorBody } },
    handler: async ({ params, req }, res) => {
      if (!(await subs.remove(params.id))) return notFound(res, params.id);
      await rt.audit.request(req, res, 'subscription.deleted', { kind: 'subscription', id: params.id }, null);
      res.status(204).end();
    },
  });

  api.add({
    method: 'post',
    path: '/api/subscriptions/:id/rotate-secret',
    roles: ADMINS,
    tag: TAG,
    summary: 'A new signing secret (generated unless given), shown this once; used from the next attempt',
    params: IdParams,
    body: z.object({ secret: Secret.optional() }).optional(),
    responses: {
      200: { description: 'The new secret', schema: z.object({ secret: z.string() }) },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params, body, req }, res) => {
      const rotated = await subs.rotateSecret(params.id, body?.secret);
      if (!rotated) return notFound(res, params.id);
      await rt.audit.request(
        req,
        res,
        'subscription.secret_rotated',
        { kind: 'subscription', id: params.id },
        null,
      );
      res.json(rotated);
    },
  });

  api.add({
    method: 'get',
    path: '/api/subscriptions/:id/deliveries',
    roles: ADMINS,
    tag: TAG,
    summary:
      'The delivery log, newest first, each delivery with every attempt; status=dead is the dead-letter list',
    params: IdParams,
    query: z.object({
      status: z.enum(['pending', 'delivering', 'delivered', 'dead']).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
    responses: {
      200: { description: 'Deliveries', schema: z.object({ items: z.array(DeliveryBody) }) },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params, query }, res) => {
      if (!(await subs.get(params.id))) return notFound(res, params.id);
      res.json({ items: await subs.deliveries(params.id, query) });
    },
  });

  api.add({
    method: 'post',
    path: '/api/subscriptions/:id/deliveries/:deliveryId/replay',
    roles: ADMINS,
    tag: TAG,
    summary: 'Send a dead (or delivered) delivery again now, with a fresh retry window',
    params: DeliveryParams,
    responses: {
      202: { description: 'Queued', schema: DeliveryBody },
      404: { description: 'Unknown subscription or delivery', schema: ErrorBody },
      409: { description: 'not_replayable: the delivery is pending or being delivered', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const found = await subs.delivery(params.id, params.deliveryId);
      if (!found)
        return sendError(
          res,
          404,
          'not_found',
          `subscription "${params.id}" has no delivery "${params.deliveryId}"`,
        );
      const replayed = await subs.replay(params.id, params.deliveryId);
      if (!replayed)
        return sendError(
          res,
          409,
          'not_replayable',
          `delivery "${params.deliveryId}" is ${found.status}: only dead or delivered deliveries can be replayed`,
        );
      res.status(202).json(replayed);
    },
  });

  api.add({
    method: 'post',
    path: '/api/subscriptions/:id/replay-dead',
    roles: ADMINS,
    tag: TAG,
    summary: 'Send every dead delivery of the subscription again now',
    params: IdParams,
    responses: {
      202: { description: 'How many were queued', schema: z.object({ replayed: z.number() }) },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      if (!(await subs.get(params.id))) return notFound(res, params.id);
      res.status(202).json({ replayed: await subs.replayDead(params.id) });
    },
  });

  api.add({
    method: 'post',
    path: '/api/subscriptions/:id/test',
    roles: ADMINS,
    tag: TAG,
    summary: 'Queue a signed `ping` event to this subscription (also when inactive); see its deliveries',
    params: IdParams,
    responses: {
      202: { description: 'Queued', schema: DeliveryBody },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const queued = await subs.ping(params.id);
      if (!queued) return notFound(res, params.id);
      res.status(202).json(queued);
    },
  });
}
