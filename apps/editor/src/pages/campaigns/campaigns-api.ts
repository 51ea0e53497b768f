import { api } from '../../api/client';
import type {
  AudiencePreview,
  Campaign,
  CampaignRequest,
  CampaignResults,
  CampaignStatus,
  Recipient,
  RecipientStatus,
} from './types';

/** The server's campaign routes, in one place. */
/** A page of campaigns, newest first (the server's cursor paging), optionally of one status. */
export function listCampaigns(query: {
  status?: CampaignStatus | '';
  cursor?: string | null;
  limit?: number;
}) {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.cursor) params.set('cursor', query.cursor);
  params.set('limit', String(query.limit ?? 50));
  return api.get<{ items: Campaign[]; nextCursor: string | null }>(`/api/campaigns?${params}`);
}
export const getCampaign = (id: string) => api.get<Campaign>(`/api/campaigns/${encodeURIComponent(id)}`);
export const createCampaign = (body: CampaignRequest) => api.post<Campaign>('/api/campaigns', body);
export const updateCampaign = (id: string, body: Partial<CampaignRequest>) =>
  api.patch<Campaign>(`/api/campaigns/${encodeURIComponent(id)}`, body);
export const deleteCampaign = (id: string) => api.delete<void>(`/api/campaigns/${encodeURIComponent(id)}`);

export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel';
export const campaignAction = (id: string, action: CampaignAction) =>
  api.post<Campaign>(`/api/campaigns/${encodeURIComponent(id)}/${action}`, {});

export const previewAudience = (
  body: Pick<CampaignRequest, 'audience' | 'channelId'> & { template?: unknown },
) => api.post<AudiencePreview>('/api/campaigns/preview', body);

export const getResults = (id: string) =>
  api.get<CampaignResults>(`/api/campaigns/${encodeURIComponent(id)}/results`);

export function listRecipients(
  id: string,
  query: {
    status?: RecipientStatus | '';
    /** A skip reason (`opted_out`…). */
    reason?: string;
    /** A failed message's error code, as the results list it. */
    code?: string;
    cursor?: string | null;
    limit?: number;
  },
) {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.reason) params.set('reason', query.reason);
  if (query.code) params.set('code', query.code);
  if (query.cursor) params.set('cursor', query.cursor);
  params.set('limit', String(query.limit ?? 50));
  return api.get<{ items: Recipient[]; nextCursor: string | null }>(
    `/api/campaigns/${encodeURIComponent(id)}/recipients?${params}`,
  );
}

/** Flows for the reply-flow select (id and name only). */
export const listFlows = () => api.get<{ items: Array<{ id: string; name: string }> }>('/api/flows');
/** Saved segments for the audience select. */
export const listSegments = () => api.get<{ items: Array<{ id: string; name: string }> }>('/api/segments');
