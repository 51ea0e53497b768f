import { api } from '../../api/client';
import type { TeamRecord } from '../../api/types';
import { readTimeline } from './timeline';
import type { ConversationDetail, InboxAgent, InboxContact, InboxConversation } from './types';

/** The server's routes the inbox uses, in one place. */
const enc = encodeURIComponent;

export const STREAM_PATH = '/api/inbox/stream';

export async function listConversations(): Promise<InboxConversation[]> {
  // An agent gets their teams' only (the server scopes it); 500 is the server's page limit.
  const page = await api.get<{ items: InboxConversation[] }>('/api/conversations?state=active&limit=500');
  return page.items;
}

interface MessagesPage {
  conversation: InboxConversation;
  contact: InboxContact | null;
  window: { open: boolean; until: string | null };
  items: unknown[];
  olderCursor: string | null;
}

/** How many history entries a page holds (the server's maximum). */
const PAGE = 200;

/** The conversation, its contact, the 24-hour window and the newest page of the contact's history. */
export async function loadConversation(id: string): Promise<ConversationDetail> {
  const page = await api.get<MessagesPage>(`/api/conversations/${enc(id)}/messages?limit=${PAGE}`);
  return {
    ...page.conversation,
    customer: page.contact,
    timeline: readTimeline(page.items),
    windowOpen: page.window.open,
    windowUntil: page.window.until,
    olderCursor: page.olderCursor,
  };
}

/** The page of history before `cursor` (oldest first), and the cursor before that one. */
export async function loadOlder(id: string, cursor: string) {
  const page = await api.get<MessagesPage>(
    `/api/conversations/${enc(id)}/messages?limit=${PAGE}&before=${enc(cursor)}`,
  );
  return { timeline: readTimeline(page.items), olderCursor: page.olderCursor };
}

export async function listAgents(team?: string): Promise<InboxAgent[]> {
  return (await api.get<{ items: InboxAgent[] }>(`/api/agents${team ? `?team=${enc(team)}` : ''}`)).items;
}

export async function listTeams(): Promise<TeamRecord[]> {
  return (await api.get<{ items: TeamRecord[] }>('/api/teams')).items;
}

export const setAvailable = (agentId: string, available: boolean) =>
  api.patch<InboxAgent>(`/api/agents/${enc(agentId)}`, { available });

export const pickUp = (id: string) => api.post(`/api/conversations/${enc(id)}/pick-up`, {});

export const transfer = (id: string, to: { team?: string; agent?: string }) =>
  api.post(`/api/conversations/${enc(id)}/transfer`, to);

export const close = (id: string) => api.post(`/api/conversations/${enc(id)}/close`, {});

export const handBack = (id: string) => api.post(`/api/conversations/${enc(id)}/hand-back`, {});

export const addNote = (id: string, text: string) =>
  api.post(`/api/conversations/${enc(id)}/notes`, { text });

/** Sends through the outbox, where the server applies the WhatsApp policy (window, consent). */
export const sendMessage = (c: Pick<InboxConversation, 'waId' | 'channel' | 'id'>, message: unknown) =>
  api.post('/api/messages', { to: c.waId, channelId: c.channel, message });
