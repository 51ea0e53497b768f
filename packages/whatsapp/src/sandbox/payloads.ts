/** Builders for webhook bodies in Meta's exact shapes, used by the sandbox and by tests. */

export interface BusinessNumber {
  phoneNumberId: string;
  displayPhoneNumber: string;
  wabaId: string;
}

const unix = (at: Date) => String(Math.floor(at.getTime() / 1000));

function envelope(business: BusinessNumber, value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: business.displayPhoneNumber,
                phone_number_id: business.phoneNumberId,
              },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** A customer message webhook; `message` is Meta's typed part, e.g. `{ type: 'text', text: { body } }`. */
export function inboundMessagePayload(args: {
  business: BusinessNumber;
  from: string;
  name?: string | null;
  id: string;
  at: Date;
  message: Record<string, unknown> & { type: string };
}) {
  return envelope(args.business, {
    contacts: [{ profile: { name: args.name ?? 'Sandbox customer' }, wa_id: args.from }],
    messages: [{ from: args.from, id: args.id, timestamp: unix(args.at), ...args.message }],
  });
}

export interface StatusError {
  code: number;
  title: string;
  message?: string;
  details?: string;
}

/** A status webhook for a message the business sent. */
export function statusPayload(args: {
  business: BusinessNumber;
  messageId: string;
  recipient: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date;
  error?: StatusError;
}) {
  const pricing = {
    billable: true,
    pricing_model: 'PMP',
    type: 'free_customer_service',
    category: 'service',
  };
  return envelope(args.business, {
    statuses: [
      {
        id: args.messageId,
        status: args.status,
        timestamp: unix(args.at),
        recipient_id: args.recipient,
        ...(args.status === 'sent' || args.status === 'delivered' ? { pricing } : {}),
        ...(args.error
          ? {
              errors: [
                {
                  code: args.error.code,
                  title: args.error.title,
                  message: args.error.message ?? args.error.title,
                  error_data: { details: args.error.details ?? args.error.title },
                  href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
                },
              ],
            }
          : {}),
      },
    ],
  });
}

/** A `message_template_status_update` webhook (or `message_template_quality_update` with `quality`). */
export function templateStatusPayload(args: {
  wabaId: string;
  templateId: string;
  name: string;
  language: string;
  event?: string;
  reason?: string;
  quality?: { previous: string; next: string };
  at: Date;
}) {
  const ids = {
    message_template_id: Number(args.templateId),
    message_template_name: args.name,
    message_template_language: args.language,
  };
  const change = args.quality
    ? {
        field: 'message_template_quality_update',
        value: {
          previous_quality_score: args.quality.previous,
          new_quality_score: args.quality.next,
          ...ids,
        },
      }
    : {
        field: 'message_template_status_update',
        value: { event: args.event, ...ids, reason: args.reason ?? 'NONE' },
      };
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: args.wabaId, time: Math.floor(args.at.getTime() / 1000), changes: [change] }],
  };
}
