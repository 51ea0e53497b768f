import { api } from '../../api/client';
import type { ConversationAnswer, CustomerMessage, SimContact } from './types';

const contactPath = (waId: string) => `/api/simulator/contacts/${encodeURIComponent(waId)}`;

export interface ContactBody {
  name?: string | null;
  country?: string | null;
  tier?: string | null;
  optedIn?: boolean | null;
  lastMessageHoursAgo?: number | null;
  attributes?: Record<string, unknown>;
  timezone?: string | null;
}

export const simulatorApi = {
  contacts: () => api.get<{ items: SimContact[] }>('/api/simulator/contacts'),
  saveContact: (waId: string, body: ContactBody) => api.put<SimContact>(contactPath(waId), body),
  /** A fresh start: the contact's simulated messages and runs are forgotten. */
  restart: (waId: string) => api.delete<unknown>(`${contactPath(waId)}/conversation`),
  send: (body: { flowId: string; from: string; text?: string; message?: CustomerMessage; clock?: string }) =>
    api.post<{ messageId: string }>('/api/simulator/messages', body),
  conversation: (waId: string, after: string | null, signal: AbortSignal) => {
    const query = new URLSearchParams({ waId });
    if (after) query.set('after', after);
    return api.get<ConversationAnswer>(`/api/simulator/conversation?${query}`, { signal });
  },
  /** The next send to this contact fails with this WhatsApp error (`times` sends in a row). */
  fault: (body: { waId: string; code: number; title: string; times?: number }) =>
    api.post<unknown>('/api/simulator/faults', body),
};
