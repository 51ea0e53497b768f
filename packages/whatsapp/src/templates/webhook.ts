import { z } from 'zod';

// `message_template_status_update` and `message_template_quality_update` webhook values (they arrive as
// `webhook.other` events; the server turns them into row updates with `templateWebhookChange`).

const StatusUpdate = z.looseObject({
  event: z.string(),
  message_template_id: z.union([z.string(), z.number()]).transform(String),
  message_template_name: z.string().optional(),
  message_template_language: z.string().optional(),
  reason: z.string().nullish(),
});

const QualityUpdate = z.looseObject({
  message_template_id: z.union([z.string(), z.number()]).transform(String),
  message_template_name: z.string().optional(),
  message_template_language: z.string().optional(),
  previous_quality_score: z.string().optional(),
  new_quality_score: z.string(),
});

/** What a template webhook changes on the stored template with Meta's id `providerId`. */
export interface TemplateWebhookChange {
  providerId: string;
  name: string | null;
  language: string | null;
  /** New status (APPROVED, REJECTED, PAUSED, DISABLED, …), when the status changed. */
  status?: string;
  /** Meta's reason (rejections, pauses); `NONE` becomes null. */
  reason?: string | null;
  /** GREEN, YELLOW, RED or UNKNOWN, when the quality changed. */
  quality?: string;
}

/** The change a template webhook asks for, or null when `field` is another one or the value is unreadable. */
export function templateWebhookChange(field: string, value: unknown): TemplateWebhookChange | null {
  if (field === 'message_template_status_update') {
    const v = StatusUpdate.safeParse(value);
    if (!v.success) return null;
    const reason = v.data.reason && v.data.reason !== 'NONE' ? v.data.reason : null;
    // Meta reports a reinstated (un-paused) template as REINSTATED: it can be sent again.
    const status = v.data.event === 'REINSTATED' ? 'APPROVED' : v.data.event;
    return { ...ids(v.data), status, reason };
  }
  if (field === 'message_template_quality_update') {
    const v = QualityUpdate.safeParse(value);
    return v.success ? { ...ids(v.data), quality: v.data.new_quality_score } : null;
  }
  return null;
}

const ids = (v: {
  message_template_id: string;
  message_template_name?: string | undefined;
  message_template_language?: string | undefined;
}) => ({
  providerId: v.message_template_id,
  name: v.message_template_name ?? null,
  language: v.message_template_language ?? null,
});
