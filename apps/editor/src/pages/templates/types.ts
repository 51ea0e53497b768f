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

export interface TemplateComponent {
  type: string;
  format?: string;
  text?: string;
  buttons?: Array<{ type: string; text?: string; url?: string }>;
}

/** What a send must give (computed by the server from the components). */
export interface TemplateSlots {
  header: { kind: 'none' } | { kind: 'text'; params: string[] } | { kind: 'media'; format: string };
  body: string[];
  named: boolean;
  buttons: Array<{ index: number; type: 'url' | 'quick_reply'; text: string; needsParam: boolean }>;
}

export interface TemplateSync {
  channelId: string;
  syncedAt: string | null;
  attemptedAt: string | null;
  lastError: string | null;
}
