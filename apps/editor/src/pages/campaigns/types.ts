// A campaign and its results as the server's `/api/campaigns` routes answer them (docs/campaigns.md).

export type CampaignStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';

export interface CampaignTemplate {
  name: string;
  language: string;
  category?: string;
  header?: { params: string[] };
  body?: { params: string[] };
  buttons?: Array<{ index: number; subType: 'quick_reply'; payload: string }>;
}

export type Audience = { segmentId: string } | { filter: Record<string, unknown> };

export interface Schedule {
  startAt: string | null;
  localHours: { from: string; to: string } | null;
}

export type RecipientStatus =
  | 'pending'
  | 'queued'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'failed'
  | 'skipped'
  | 'cancelled';

export type Counts = Record<RecipientStatus | 'replied', number>;

export interface Campaign {
  id: string;
  name: string;
  channelId: string;
  template: CampaignTemplate;
  audience: Audience;
  schedule: Schedule;
  replyFlowId: string | null;
  status: CampaignStatus;
  waiting: null | { reason: 'messaging_limit' | 'local_hours' | 'scheduled' | string; until: string | null };
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: { total: number; processed: number; percent: number };
  counts: Counts;
  messagingLimit?: { tier: string; usedLast24h: number; available: number | null };
}

/** The create/edit body. */
export interface CampaignRequest {
  name: string;
  channelId: string;
  template: CampaignTemplate;
  audience: Audience;
  schedule: Schedule;
  replyFlowId: string | null;
}

export interface AudiencePreview {
  total: number;
  willSend: number;
  skipped: Array<{ reason: string; count: number }>;
}

export interface CampaignResults {
  counts: Counts;
  skipped: Array<{ reason: string; count: number }>;
  failed: Array<{ code: number | string; title: string; count: number }>;
}

export interface Recipient {
  waId: string;
  name: string | null;
  status: RecipientStatus;
  reason: string | null;
  errorCode: number | string | null;
  messageId: string | null;
  queuedAt: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  repliedAt: string | null;
}
