import { api } from '../../api/client';
import type { TemplateRecord, TemplateSync } from './types';

export interface TemplateQuery {
  channelId?: string;
  status?: string;
  category?: string;
  language?: string;
  q?: string;
}

/** The server's template routes, in one place. */
export async function listTemplates(
  query: TemplateQuery = {},
): Promise<{ items: TemplateRecord[]; syncs: TemplateSync[] }> {
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v) as Array<[string, string]>);
  const qs = params.toString();
  return api.get(`/api/templates${qs ? `?${qs}` : ''}`);
}

export const createTemplate = (body: unknown) => api.post<TemplateRecord>('/api/templates', body);

export const syncTemplates = () =>
  api.post<{ results: Array<{ channelId: string; ok: boolean; error?: string }> }>('/api/templates/sync', {});
