import type { TemplateComponent, TemplateSlots } from '../../templates/slots';

/** A template as `GET /api/templates` answers it (Meta's fields plus the channel's bookkeeping). */
export interface TemplateRecord {
  id: string;
  channelId: string;
  name: string;
  language: string;
  category: string;
  status: string;
  parameterFormat: string;
  components: TemplateComponent[];
  quality: string | null;
  rejectedReason: string | null;
  lastSyncedAt: string | null;
  parameters: TemplateSlots;
}

export interface TemplateSync {
  channelId: string;
  syncedAt: string | null;
  attemptedAt: string | null;
  lastError: string | null;
}
