/** `GET /api/subscriptions`: never the secret. */
export interface Subscription {
  id: string;
  url: string;
  eventTypes: string[];
  description: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryAttempt {
  at: string;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

/** `GET /api/subscriptions/:id/deliveries`: one event owed to a subscription, with every attempt. */
export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivering' | 'delivered' | 'dead';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  lastHttpStatus: number | null;
  createdAt: string;
  deliveredAt: string | null;
  log: DeliveryAttempt[];
}

/** The event types a subscription may ask for (the server's SUBSCRIPTION_EVENT_TYPES). */
export const EVENT_TYPES = [
  'message.received',
  'message.status',
  'contact.opted_in',
  'contact.opted_out',
  'conversation.assigned',
  'conversation.closed',
  'run.failed',
  'campaign.finished',
] as const;

export interface Channel {
  id: string;
  name: string;
  displayPhoneNumber: string | null;
}

export interface CredentialInfo {
  name: string;
  type: string;
}

/** `GET /api/channels/:id/crm-sync`. */
export interface CrmSyncSetting {
  channel: string;
  provider: 'hubspot' | 'bitrix24';
  credential: string;
  logAs: string;
  enabled: boolean;
}

/** `GET /api/channels/:id/crm-sync/records`: one message owed to the CRM timeline. */
export interface CrmSyncRecord {
  id: string;
  messageId: string;
  direction: 'in' | 'out';
  waId: string;
  text: string;
  status: 'pending' | 'syncing' | 'synced' | 'dead' | 'skipped';
  attempts: number;
  lastError: string | null;
  crmContactId: string | null;
  contactCreated: boolean;
  createdAt: string;
}
