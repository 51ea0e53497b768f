import { z } from 'zod';
import { MESSAGING_TIERS } from '../campaigns/messaging-limit.js';
import { SegmentFilter } from '../contacts/segment-filter.js';

// The shapes /api/campaigns takes and answers (docs/campaigns.md), for validation and the OpenAPI document.

export const IdParams = z.object({ id: z.string().max(100) });
const Name = z.string().trim().min(1).max(100);
/** A parameter value; `{{contact.…}}` placeholders are rendered per contact (docs/campaigns.md). */
const Param = z.string().min(1, 'must not be empty').max(1000);
export const TemplateInput = z.strictObject({
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(15),
  header: z.strictObject({ params: z.array(Param).max(10) }).optional(),
  body: z.strictObject({ params: z.array(Param).max(100) }).optional(),
  buttons: z
    .array(
      z.strictObject({
        index: z.int().min(0).max(9),
        subType: z.literal('quick_reply'),
        payload: z.string().min(1, 'must not be empty').max(256),
      }),
    )
    .max(10)
    .optional(),
});
export const AudienceBody = z.union([
  z.strictObject({ segmentId: z.string().min(1).max(100) }),
  z.strictObject({ filter: SegmentFilter }),
]);
// Shapes only: the values are checked by the handler, so a wrong hour is a 422 naming it.
const Schedule = z.strictObject({
  startAt: z.string().max(40).nullable().default(null),
  localHours: z
    .strictObject({ from: z.string().max(10), to: z.string().max(10) })
    .nullable()
    .default(null),
});
export const NewBody = z.strictObject({
  name: Name,
  channelId: z.string().min(1).max(100),
  template: TemplateInput,
  audience: AudienceBody,
  schedule: Schedule.default({ startAt: null, localHours: null }),
  replyFlowId: z.string().min(1).max(200).nullable().default(null),
});
export const PatchBody = z.strictObject({
  name: Name.optional(),
  channelId: z.string().min(1).max(100).optional(),
  template: TemplateInput.optional(),
  audience: AudienceBody.optional(),
  schedule: Schedule.optional(),
  replyFlowId: z.string().min(1).max(200).nullable().optional(),
});
export const CampaignStatuses = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'completed',
  'cancelled',
] as const;
export const Counts = z.object({
  pending: z.number(),
  queued: z.number(),
  sent: z.number(),
  delivered: z.number(),
  read: z.number(),
  replied: z.number(),
  failed: z.number(),
  skipped: z.number(),
  cancelled: z.number(),
});
export const CampaignBody = z.object({
  id: z.string(),
  name: z.string(),
  channelId: z.string(),
  template: TemplateInput.extend({ category: z.enum(['marketing', 'utility', 'authentication']) }),
  audience: AudienceBody,
  schedule: z.object({
    startAt: z.string().nullable(),
    localHours: z.object({ from: z.string(), to: z.string() }).nullable(),
  }),
  replyFlowId: z.string().nullable(),
  status: z.enum(CampaignStatuses),
  waiting: z
    .object({ reason: z.enum(['messaging_limit', 'local_hours', 'scheduled']), until: z.string().nullable() })
    .nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  progress: z.object({ total: z.number(), processed: z.number(), percent: z.number() }),
  counts: Counts,
  messagingLimit: z.object({
    tier: z.enum(MESSAGING_TIERS),
    usedLast24h: z.number(),
    available: z.number().nullable(),
  }),
});
export const ReasonCount = z.object({ reason: z.string(), count: z.number() });
export const RecipientStates = [
  'pending',
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
  'skipped',
  'cancelled',
] as const;
export const ListQuery = z.object({
  status: z.enum(CampaignStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(300).optional().describe("The previous page's nextCursor"),
});
export const RecipientsQuery = z.object({
  status: z.enum(RecipientStates).optional(),
  reason: z
    .string()
    .max(60)
    .optional()
    .describe('A skip reason (opted_out, not_opted_in, blocked_region, missing_parameter, …)'),
  code: z
    .string()
    .max(60)
    .optional()
    .describe('The error code of failed messages, as /results lists them (131026; unknown: none)'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(40).optional().describe("The previous page's nextCursor"),
});
export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
