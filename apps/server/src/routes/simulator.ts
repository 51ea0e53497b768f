import type { Contact, OutboxRow, SimulatorInbound } from '@switchboard/db';
import { Identifier, RunSummary, TimeZone } from '@switchboard/flow-schema';
import { type NormalizedEvent, type OutboundMessage, WhatsAppSandbox } from '@switchboard/whatsapp';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { SIMULATOR_CHANNEL } from '../channels.js';
import { BUILDERS } from '../roles.js';
import type { Runtime } from '../runtime.js';
import { derivePhone } from '../whatsapp/dispatcher.js';
import { ContactBody } from './contacts.js';
import { sendDraftConflict } from './flows.js';

const WaId = z.string().regex(/^\d{6,20}$/, 'must be a WhatsApp id: digits with the country code');
const IsoTime = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 time with a zone, e.g. 2026-05-02T21:30:00+02:00',
});

const Status = z.enum(['queued', 'sent', 'delivered', 'read', 'failed']);
const Button = z.object({ id: z.string(), title: z.string() });
const Interactive = z
  .object({
    type: z
      .enum(['button', 'list', 'button_reply', 'list_reply', 'template_button'])
      .describe('button / list: what the bot sent (render tappable); *_reply: what the customer tapped'),
    header: z.string().optional(),
    body: z.string().optional(),
    footer: z.string().optional(),
    buttons: z.array(Button).optional().describe('button: the reply buttons (at most 3)'),
    buttonText: z.string().optional().describe('list: the label of the button that opens the list'),
    sections: z
      .array(
        z.object({
          title: z.string().optional(),
          rows: z.array(Button.extend({ description: z.string().optional() })),
        }),
      )
      .optional(),
    id: z.string().optional().describe('*_reply: the id of the button or row tapped'),
    title: z.string().optional(),
    description: z.string().nullable().optional(),
    payload: z.string().optional(),
  })
  .loose();
const SimMessage = z.object({
  id: z.string().describe('in: the wamid; out: the outbox message id'),
  direction: z.enum(['in', 'out']),
  at: z.string(),
  type: z
    .string()
    .describe(
      'in: text, button_reply, list_reply, image…; out: text, buttons, list, template, media, reaction',
    ),
  text: z.string().optional().describe('The text, body or caption'),
  interactive: Interactive.optional(),
  template: z
    .object({ name: z.string(), language: z.string(), category: z.string().optional() })
    .loose()
    .optional(),
  media: z
    .object({
      kind: z.string(),
      link: z.string().optional(),
      mediaId: z.string().optional(),
      caption: z.string().optional(),
      filename: z.string().optional(),
    })
    .optional(),
  reaction: z.object({ messageId: z.string(), emoji: z.string().nullable() }).optional(),
  replyTo: z.string().optional().describe('The message this one answers or quotes'),
  status: Status.describe('in: delivered, or read once the bot marked it read'),
  error: z.object({ code: z.union([z.int(), z.string()]), title: z.string() }).optional(),
  runId: z.string().nullable().optional().describe('out: the run that sent it'),
  nodeId: z.string().nullable().optional().describe('out: the node that sent it'),
});
type SimMessage = z.infer<typeof SimMessage>;

const Cursor = z
  .string()
  .regex(/^\d+\.\d+$/, 'must be the `cursor` of an earlier answer')
  .transform((v) => {
    const [event, status] = v.split('.').map(Number) as [number, number];
    return { event, status };
  });

const SimulatorContact = ContactBody.extend({
  flowId: z.string().nullable().describe('The flow this contact is testing (its last simulated message’s)'),
});

/**
 * The editor's simulator: test the flow open in the editor with simulated WhatsApp messages, through the
 * real ingress, dispatcher, engine and outbox, on the built-in `simulator` channel, whose sends only ever
 * reach the sandbox (in live mode too). Its events start runs only of the flow under test.
 */
export function simulatorRoutes(api: Api, rt: Runtime): void {
  const channel = () => rt.channels.get(SIMULATOR_CHANNEL)!;
  const view = async (c: Contact) => ({
    ...c,
    windowOpen: !!c.lastInboundAt && Date.now() - new Date(c.lastInboundAt).getTime() < 24 * 3_600_000,
    flowId: (await rt.simulator.session(c.waId))?.flowId ?? null,
  });

  api.add({
    method: 'put',
    path: '/api/simulator/contacts/:waId',
    roles: BUILDERS,
    tag: 'simulator',
    summary: 'Create or change a simulated customer (its profile, consent and 24-hour window)',
    params: z.object({ waId: WaId }),
    body: z.strictObject({
      name: z.string().min(1).max(200).nullable().optional(),
      country: z
        .string()
        .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 country code, e.g. ES')
        .transform((v) => v.toUpperCase())
        .nullable()
        .optional()
        .describe('Default: from the number'),
      tier: z.string().max(100).nullable().optional().describe('Stored as attributes.tier (null removes it)'),
      optedIn: z
        .boolean()
        .nullable()
        .optional()
        .describe('Consent for all messages ("all"), recorded with source "simulator"; null forgets it'),
      lastMessageHoursAgo: z
        .number()
        .min(0, 'must be 0 or more')
        .max(24 * 365, 'at most a year (8760 hours)')
        .nullable()
        .optional()
        .describe('When the customer last wrote (opens or closes the 24-hour window); null: never'),
      attributes: z
        .record(z.string(), z.unknown())
        .optional()
        .describe('Replaces the attributes (tier is then applied on top)'),
      timezone: TimeZone.nullable().optional(),
    }),
    responses: {
      200: { description: 'The contact', schema: SimulatorContact },
      400: { description: 'A field is wrong; each problem names it', schema: ErrorBody },
    },
    handler: async ({ params, body }, res) => {
      const at = new Date().toISOString();
      const current = await rt.contacts.ensure({
        waId: params.waId,
        channel: SIMULATOR_CHANNEL,
        at,
        derive: derivePhone,
      });
      let attributes: Record<string, unknown> | undefined;
      if (body.attributes !== undefined || body.tier !== undefined) {
        attributes = { ...(body.attributes ?? current.attributes) };
        if (body.tier === null) delete attributes.tier;
        else if (body.tier !== undefined) attributes.tier = body.tier;
      }
      let consent: Contact['consent'] | undefined;
      if (body.optedIn !== undefined) {
        const { all: _previous, ...rest } = current.consent;
        consent =
          body.optedIn === null ? rest : { ...rest, all: { optedIn: body.optedIn, source: 'simulator', at } };
      }
      const hours = body.lastMessageHoursAgo;
      const updated = await rt.contacts.patch(
        params.waId,
        {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.country !== undefined ? { country: body.country } : {}),
          ...(body.timezone !== undefined ? { timezone: body.timezone } : {}),
          ...(attributes ? { attributes } : {}),
          ...(consent ? { consent } : {}),
          ...(hours !== undefined
            ? {
                lastInboundAt: hours === null ? null : new Date(Date.now() - hours * 3_600_000).toISOString(),
              }
            : {}),
        },
        at,
        SIMULATOR_CHANNEL,
      );
      if (!updated) throw new Error(`simulated contact ${params.waId} vanished while being updated`);
      res.json(await view(updated));
    },
  });

  api.add({
    method: 'get',
    path: '/api/simulator/contacts',
    roles: BUILDERS,
    tag: 'simulator',
    summary: 'The simulated customers, by WhatsApp id',
    responses: {
      200: { description: 'Contacts', schema: z.object({ items: z.array(SimulatorContact) }) },
    },
    handler: async (_, res) => {
      const contacts = await rt.contacts.list({ channel: SIMULATOR_CHANNEL, limit: 500 });
      res.json({ items: await Promise.all(contacts.map(view)) });
    },
  });

  api.add({
    method: 'delete',
    path: '/api/simulator/contacts/:waId/conversation',
    roles: BUILDERS,
    tag: 'simulator',
    summary: 'Fresh start: cancel the contact’s unfinished simulator runs and forget its messages',
    params: z.object({ waId: WaId }),
    responses: {
      200: {
        description: 'Cleared (the contact’s profile stays)',
        schema: z.object({ cancelledRuns: z.array(z.string()) }),
      },
    },
    handler: async ({ params }, res) => {
      const cancelledRuns: string[] = [];
      for (const runId of await rt.simulator.openRuns(params.waId)) {
        if (await rt.engine.cancel(runId)) cancelledRuns.push(runId);
      }
      await rt.simulator.forgetConversation(params.waId, new Date().toISOString());
      res.json({ cancelledRuns });
    },
  });

  api.add({
    method: 'post',
    path: '/api/simulator/messages',
    roles: BUILDERS,
    tag: 'simulator',
    summary:
      'A simulated customer writes (or taps a button): signed, through the real ingress, for the flow under test',
    body: z
      .strictObject({
        flowId: Identifier.describe('The flow under test: its latest saved version runs, active or not'),
        from: WaId,
        text: z.string().min(1, 'must not be empty').max(4096, 'at most 4096 characters').optional(),
        message: z
          .looseObject({ type: z.string().min(1) })
          .refine((m) => !('from' in m || 'id' in m || 'timestamp' in m), {
            message: 'give only the typed part (type and its field); from, id and timestamp are set for you',
          })
          .optional()
          .describe(
            'Meta’s typed message part, e.g. { "type": "interactive", "interactive": { "type": "button_reply", "button_reply": { "id": "yes", "title": "Sí" } } }',
          ),
        clock: IsoTime.optional().describe(
          'Clock override: the runs this message starts or resumes see now = this time (e.g. to test business hours)',
        ),
      })
      .refine((b) => (b.text === undefined) !== (b.message === undefined), {
        message: 'give either "text" or "message" (the typed message part), not both',
        path: ['text'],
      }),
    responses: {
      200: { description: 'Posted to the ingress', schema: z.object({ messageId: z.string() }) },
      400: { description: 'A field is wrong; each problem names it', schema: ErrorBody },
      404: { description: 'No such flow', schema: ErrorBody },
      409: {
        description: 'invalid_flow: the latest version is a draft (with its problems)',
        schema: ErrorBody,
      },
    },
    handler: async ({ body }, res) => {
      const latest = await rt.flows.latest(body.flowId);
      if (!latest.ok) {
        if ('notFound' in latest) return sendError(res, 404, 'not_found', `no flow with id "${body.flowId}"`);
        return sendDraftConflict(res, body.flowId, latest.problems);
      }
      const at = new Date();
      const messageId = WhatsAppSandbox.newInboundId();
      await rt.simulator.recordMessage({
        messageId,
        waId: body.from,
        flowId: body.flowId,
        clockOffsetMs: body.clock ? Date.parse(body.clock) - at.getTime() : null,
        createdAt: at.toISOString(),
      });
      const sent = await rt.sandbox.customerMessage({
        phoneNumberId: channel().phoneNumberId,
        from: body.from,
        // WhatsApp sends the profile name with every message: the one set for this contact, if any.
        name: (await rt.contacts.get(body.from, SIMULATOR_CHANNEL))?.name ?? 'Simulated customer',
        message: body.message ?? { type: 'text', text: { body: body.text! } },
        messageId,
      });
      if (sent.status !== 200) {
        return sendError(res, 502, 'ingress_failed', `the webhook ingress answered ${sent.status}`);
      }
      res.json({ messageId });
    },
  });

  api.add({
    method: 'get',
    path: '/api/simulator/conversation',
    roles: BUILDERS,
    tag: 'simulator',
    summary:
      'A simulated customer’s conversation, oldest first, and its runs; poll with `after` = the last `cursor`',
    query: z.object({
      waId: WaId,
      after: Cursor.optional().describe(
        'Only messages new or changed (status) since the answer that gave this cursor; runs are always all',
      ),
    }),
    responses: {
      200: {
        description: 'Messages (upsert them by id: a message comes again when its status changes) and runs',
        schema: z.object({
          messages: z.array(SimMessage),
          runs: z.array(RunSummary).describe('The contact’s simulator runs since the last fresh start'),
          cursor: z.string().describe('Pass as `after` next time'),
        }),
      },
      400: { description: 'Bad waId or cursor', schema: ErrorBody },
    },
    handler: async ({ query }, res) => {
      const { inbound, outbound, runs, cursor } = await rt.simulator.conversation(query.waId, query.after);
      // Read receipts the bot sent show on the customer's messages (and bring them back when new).
      const newlyRead = query.after
        ? outbound
            .filter((o) => o.kind === 'markRead')
            .map((o) => String((o.payload as { messageId?: unknown }).messageId))
        : [];
      const reread = (await rt.simulator.inboundByMessageIds(query.waId, newlyRead)).filter(
        (r) => !inbound.some((i) => i.eventId === r.eventId),
      );
      const shown = [...inbound, ...reread];
      const read = new Set(shown.length > 0 ? await rt.simulator.markedRead(query.waId) : []);
      const messages = [
        ...shown.flatMap((i) => inboundView(i, read)),
        ...outbound.filter((o) => o.kind !== 'markRead').map(outboundView),
      ].sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1));
      res.json({ messages, runs, cursor: `${cursor.event}.${cursor.status}` });
    },
  });

  api.add({
    method: 'post',
    path: '/api/simulator/faults',
    roles: BUILDERS,
    tag: 'simulator',
    summary:
      'The next `times` sends to this simulated customer fail with this WhatsApp error (a failed status webhook)',
    body: z.strictObject({
      waId: WaId,
      code: z
        .int()
        .describe('WhatsApp error code, e.g. 131047 (re-engagement: the 24-hour window is closed)'),
      title: z.string().min(1).max(200),
      times: z.int().min(1).max(100).default(1),
    }),
    responses: { 204: { description: 'Set' }, 400: { description: 'A field is wrong', schema: ErrorBody } },
    handler: ({ body }, res) => {
      rt.sandbox.failRecipient(
        body.waId,
        { code: body.code, title: body.title },
        { times: body.times, phoneNumberId: channel().phoneNumberId },
      );
      res.status(204).end();
    },
  });
}

function inboundView(row: SimulatorInbound, read: Set<string>): SimMessage[] {
  const event = row.normalized as NormalizedEvent;
  if (event.type !== 'message.received') return [];
  const m = event.message;
  const base: SimMessage = {
    id: event.messageId,
    direction: 'in',
    at: row.receivedAt,
    type: m.type,
    status: read.has(event.messageId) ? 'read' : 'delivered',
    ...(event.context?.replyToId ? { replyTo: event.context.replyToId } : {}),
  };
  switch (m.type) {
    case 'text':
      return [{ ...base, text: m.text }];
    case 'button_reply':
      return [{ ...base, text: m.title, interactive: { type: 'button_reply', id: m.id, title: m.title } }];
    case 'list_reply':
      return [
        {
          ...base,
          text: m.title,
          interactive: { type: 'list_reply', id: m.id, title: m.title, description: m.description },
        },
      ];
    case 'template_button':
      return [{ ...base, text: m.text, interactive: { type: 'template_button', payload: m.payload } }];
    case 'image':
    case 'video':
    case 'document':
    case 'audio':
    case 'sticker': {
      const caption = 'caption' in m && m.caption ? m.caption : undefined;
      return [
        {
          ...base,
          ...(caption ? { text: caption } : {}),
          media: { kind: m.type, mediaId: m.mediaId, ...(caption ? { caption } : {}) },
        },
      ];
    }
    case 'reaction':
      return [{ ...base, reaction: { messageId: m.messageId, emoji: m.emoji } }];
    case 'location':
      return [
        { ...base, text: [m.name, m.address].filter(Boolean).join(', ') || `${m.latitude},${m.longitude}` },
      ];
    default:
      return [base];
  }
}

const STATUS: Record<string, SimMessage['status']> = {
  queued: 'queued',
  sending: 'queued',
  accepted: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  played: 'read',
  failed: 'failed',
  refused: 'failed',
};

function outboundView(row: OutboxRow): SimMessage {
  const status = STATUS[row.status] ?? 'queued';
  const error = row.lastError as { code?: number | string | null; message?: string } | null;
  const base: SimMessage = {
    id: row.id,
    direction: 'out',
    at: row.createdAt,
    type: row.kind,
    status,
    runId: row.runId,
    nodeId: row.nodeId,
    ...(status === 'failed' && error
      ? { error: { code: error.code ?? 'error', title: error.message ?? 'failed' } }
      : {}),
  };
  const m = row.payload as OutboundMessage;
  if ('replyTo' in m && m.replyTo) base.replyTo = m.replyTo;
  switch (m.type) {
    case 'text':
      return { ...base, text: m.text };
    case 'buttons':
      return {
        ...base,
        text: m.body,
        interactive: {
          type: 'button',
          ...(m.header?.type === 'text' ? { header: m.header.text } : {}),
          body: m.body,
          ...(m.footer ? { footer: m.footer } : {}),
          buttons: m.buttons.map((b) => ({ id: b.id, title: b.title })),
        },
      };
    case 'list':
      return {
        ...base,
        text: m.body,
        interactive: {
          type: 'list',
          ...(m.header ? { header: m.header } : {}),
          body: m.body,
          ...(m.footer ? { footer: m.footer } : {}),
          buttonText: m.buttonText,
          sections: m.sections,
        },
      };
    case 'template':
      return {
        ...base,
        template: {
          name: m.name,
          language: m.language,
          ...(m.category ? { category: m.category } : {}),
          ...(m.header ? { header: m.header } : {}),
          ...(m.body ? { body: m.body } : {}),
          ...(m.buttons ? { buttons: m.buttons } : {}),
        },
      };
    case 'media':
      return {
        ...base,
        ...(m.caption ? { text: m.caption } : {}),
        media: {
          kind: m.kind,
          ...(m.link ? { link: m.link } : {}),
          ...(m.mediaId ? { mediaId: m.mediaId } : {}),
          ...(m.caption ? { caption: m.caption } : {}),
          ...(m.filename ? { filename: m.filename } : {}),
        },
      };
    case 'reaction':
      return { ...base, reaction: { messageId: m.messageId, emoji: m.emoji } };
    default:
      return base;
  }
}
