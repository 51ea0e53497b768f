import { TimeZone } from '@switchboard/flow-schema';
import type { Response } from 'express';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { SIMULATOR_CHANNEL } from '../channels.js';
import { INBOX } from '../roles.js';
import type { Runtime } from '../runtime.js';
import { inboxScope } from './inbox-scope.js';

const ConsentRecord = z.object({ optedIn: z.boolean(), source: z.string(), at: z.string() });
export const ContactBody = z.object({
  id: z.string(),
  channel: z.string(),
  waId: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  country: z.string().nullable(),
  consent: z.object({
    all: ConsentRecord.optional(),
    marketing: ConsentRecord.optional(),
    utility: ConsentRecord.optional(),
  }),
  attributes: z.record(z.string(), z.unknown()),
  tags: z.array(z.string()),
  timezone: z.string().nullable(),
  lastInboundAt: z.string().nullable(),
  /** Whether free-form messages may be sent now (the 24-hour customer-service window). */
  windowOpen: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const WaId = z.object({
  waId: z.string().regex(/^\d{6,20}$/, 'must be the WhatsApp id: digits with the country code'),
});
const Query = z.object({ channel: z.string().max(100).default('default') });

export function contactRoutes(api: Api, rt: Runtime): void {
  const view = <T extends { lastInboundAt: string | null }>(c: T) => ({
    ...c,
    windowOpen: !!c.lastInboundAt && Date.now() - new Date(c.lastInboundAt).getTime() < 24 * 3_600_000,
  });
  /** An agent principal reaches only the contacts of their teams' conversations (else: an unknown's 404). */
  const hidden = async (res: Response, waId: string, channel: string): Promise<boolean> => {
    const scope = await inboxScope(rt, res);
    if (!scope || (await rt.routing.conversations.contactInTeams(channel, waId, scope.teams))) return false;
    sendError(res, 404, 'not_found', `no contact ${waId}`);
    return true;
  };

  api.add({
    method: 'get',
    path: '/api/contacts',
    roles: INBOX,
    tag: 'whatsapp',
    summary:
      'Contacts, by WhatsApp id; search by name or number, filter by tag or channel (the simulator’s test contacts only when asked for)',
    query: z.object({
      search: z.string().max(100).optional(),
      tag: z.string().max(100).optional(),
      channel: z.string().max(100).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      after: z.string().max(40).optional(),
    }),
    responses: { 200: { description: 'Contacts', schema: z.object({ items: z.array(ContactBody) }) } },
    handler: async ({ query }, res) => {
      const scope = await inboxScope(rt, res);
      const contacts = await rt.contacts.list({
        ...query,
        ...(query.channel ? {} : { exceptChannel: SIMULATOR_CHANNEL }),
        // An agent: the contacts of their teams' conversations only.
        ...(scope ? { teams: scope.teams } : {}),
      });
      res.json({ items: contacts.map(view) });
    },
  });

  api.add({
    method: 'get',
    path: '/api/contacts/:waId',
    roles: INBOX,
    tag: 'whatsapp',
    summary: 'One contact',
    params: WaId,
    query: Query,
    responses: {
      200: { description: 'The contact', schema: ContactBody },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params, query }, res) => {
      if (await hidden(res, params.waId, query.channel)) return;
      const contact = await rt.contacts.get(params.waId, query.channel);
      if (!contact) return sendError(res, 404, 'not_found', `no contact ${params.waId}`);
      res.json(view(contact));
    },
  });

  api.add({
    method: 'patch',
    path: '/api/contacts/:waId',
    roles: INBOX,
    tag: 'whatsapp',
    summary: 'Change a contact’s name, attributes, tags, time zone or consent (recorded with source "api")',
    params: WaId,
    query: Query,
    body: z.strictObject({
      name: z.string().max(200).nullable().optional(),
      attributes: z.record(z.string(), z.unknown()).optional(),
      tags: z.array(z.string().min(1).max(60)).max(100).optional(),
      timezone: TimeZone.nullable().optional(),
      consent: z
        .strictObject({
          all: z.boolean().optional(),
          marketing: z.boolean().optional(),
          utility: z.boolean().optional(),
        })
        .optional(),
    }),
    responses: {
      200: { description: 'The contact', schema: ContactBody },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params, query, body }, res) => {
      if (await hidden(res, params.waId, query.channel)) return;
      const at = new Date().toISOString();
      const current = await rt.contacts.get(params.waId, query.channel);
      if (!current) return sendError(res, 404, 'not_found', `no contact ${params.waId}`);
      const { consent, ...rest } = body;
      const nextConsent = { ...current.consent };
      for (const [category, optedIn] of Object.entries(consent ?? {})) {
        if (optedIn !== undefined)
          nextConsent[category as keyof typeof nextConsent] = { optedIn, source: 'api', at };
      }
      const updated = await rt.contacts.patch(
        params.waId,
        { ...rest, ...(consent ? { consent: nextConsent } : {}) },
        at,
        query.channel,
      );
      res.json(view(updated!));
    },
  });
}
