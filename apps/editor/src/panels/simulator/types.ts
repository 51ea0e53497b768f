import type { RunSummary } from '@switchboard/flow-schema';

/** One bubble of the simulated chat, as `GET /api/simulator/conversation` returns it. */
export interface ChatMessage {
  id: string;
  /** `in`: the customer wrote it (you, in the simulator); `out`: the bot sent it. */
  direction: 'in' | 'out';
  at: string;
  type: string;
  text?: string | null;
  /** Meta's or our own interactive part (buttons, list, or the customer's button/list reply). */
  interactive?: unknown;
  template?: unknown;
  media?: unknown;
  reaction?: { messageId: string; emoji: string | null };
  /** Outgoing: queued, sending, accepted, sent, delivered, read, failed, refused. Incoming: received, read. */
  status: string;
  error?: { code: number | string; title: string; message?: string } | null;
  /** Outgoing: the run and node that sent it. */
  runId?: string | null;
  nodeId?: string | null;
}

export interface ConversationAnswer {
  messages: ChatMessage[];
  runs: RunSummary[];
  /** Where this answer left off, for the next poll's `after`. */
  cursor?: string | null;
}

/** A test contact of the simulator (its own channel: never a real customer). */
export interface SimContact {
  waId: string;
  name?: string | null;
  country?: string | null;
  /** Kept by the server as `attributes.tier`. */
  tier?: string | null;
  optedIn?: boolean;
  /** Per category (all, marketing, utility); the simulator's opt-in is `all`. */
  consent?: Record<string, { optedIn?: boolean } | undefined>;
  lastMessageHoursAgo?: number | null;
  lastInboundAt?: string | null;
  windowOpen?: boolean;
  attributes?: Record<string, unknown>;
  timezone?: string | null;
}

/** Meta's typed message part, as the customer's phone would post it. */
export type CustomerMessage =
  | {
      type: 'interactive';
      interactive: { type: 'button_reply'; button_reply: { id: string; title: string } };
    }
  | {
      type: 'interactive';
      interactive: { type: 'list_reply'; list_reply: { id: string; title: string; description?: string } };
    }
  | { type: 'button'; button: { payload: string; text: string } };
