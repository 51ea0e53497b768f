/** What the inbox reads from the server (`/api/conversations`, `/api/contacts`, `/api/agents`). */

export type ConversationState = 'queued' | 'assigned' | 'open' | 'closed';

/** A conversation as `GET /api/conversations` lists it. */
export interface InboxConversation {
  id: string;
  channel: string;
  waId: string;
  contactName: string | null;
  teamId: string;
  agentId: string | null;
  priority: string;
  state: ConversationState;
  queuedBecause: string | null;
  summary: string;
  flowId: string | null;
  slaDueAt: string | null;
  openedAt: string;
  assignedAt: string | null;
  pickedUpAt: string | null;
  closedAt: string | null;
  updatedAt: string;
  /** The customer as the list shows them (`GET /api/conversations` adds it). */
  contact?: { name: string | null; phone: string; tier: string | null };
  /** The newest message either way, with a short preview. */
  lastMessage?: { direction: 'in' | 'out'; at: string; preview: string } | null;
}

/** Who sent an outgoing message: a flow's step, an agent in the inbox, or the HTTP API. */
export type OutboundSource = 'flow' | 'agent' | 'api';

/** One row of a conversation's history, oldest first. */
export type TimelineItem =
  | { kind: 'inbound'; id: string; at: string; text: string; type: string }
  | {
      kind: 'outbound';
      id: string;
      at: string;
      text: string;
      type: string;
      status: string;
      source: OutboundSource;
      error: { code: string; title: string } | null;
      /** Who sent it from the inbox, when an agent did. */
      author: string | null;
    }
  | { kind: 'note'; id: string; at: string; text: string; author: string | null }
  | { kind: 'event'; id: string; at: string; event: string; data: Record<string, unknown> };

/** The customer next to an open conversation. */
export interface InboxContact {
  waId: string;
  channel: string;
  name: string | null;
  phone: string | null;
  country: string | null;
  tier: string | null;
  attributes: Record<string, unknown>;
  tags: string[];
  lastInboundAt: string | null;
}

/**
 * An open conversation with everything the right-hand pane shows (`GET /api/conversations/:id/messages`:
 * the conversation, its contact, the 24-hour window and the newest page of the contact's history).
 */
export interface ConversationDetail extends InboxConversation {
  timeline: TimelineItem[];
  customer: InboxContact | null;
  /** Whether free text may be sent now (the 24-hour customer-service window), as the server says. */
  windowOpen: boolean;
  /** When the window closes (or closed), for the browser to switch on time; null: never opened. */
  windowUntil: string | null;
  /** Pass to fetch older history; null when this is all of it. */
  olderCursor: string | null;
}

/** `GET /api/agents`. */
export interface InboxAgent {
  id: string;
  name: string;
  available: boolean;
  teams: string[];
  capacity: number;
  open: number;
  userId?: string | null;
}
