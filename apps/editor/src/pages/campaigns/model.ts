// The campaign form's state and the request it makes; what the detail page derives from a campaign.

import type { ApiProblem } from '../../api/client';
import type { TemplateSlots } from '../../templates/slots';
import { EMPTY_FORM, type FilterForm, fromFilter, toFilter } from '../contacts/filter';
import type { Campaign, CampaignRequest, CampaignStatus, CampaignTemplate } from './types';

export interface CampaignForm {
  name: string;
  channelId: string;
  /** The picked template's request part (name, language, its values), or null before one is picked. */
  template: CampaignTemplate | null;
  audienceKind: 'segment' | 'filter';
  segmentId: string;
  filter: FilterForm;
  startMode: 'now' | 'at';
  /** A `datetime-local` value (the browser's time zone): `2026-12-24T09:30`. */
  startAt: string;
  localHoursOn: boolean;
  from: string;
  to: string;
  replyFlowId: string;
}

export const EMPTY_CAMPAIGN: CampaignForm = {
  name: '',
  channelId: '',
  template: null,
  audienceKind: 'segment',
  segmentId: '',
  filter: EMPTY_FORM,
  startMode: 'now',
  startAt: '',
  localHoursOn: false,
  from: '09:00',
  to: '20:00',
  replyFlowId: '',
};

/** A `datetime-local` value for an ISO time, in the browser's time zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The `POST`/`PATCH /api/campaigns` body for the form (the server checks it and names what is wrong). */
export function campaignRequest(form: CampaignForm): CampaignRequest {
  return {
    name: form.name.trim(),
    channelId: form.channelId,
    template: form.template ?? { name: '', language: '' },
    audience:
      form.audienceKind === 'segment' ? { segmentId: form.segmentId } : { filter: toFilter(form.filter) },
    schedule: {
      startAt: form.startMode === 'at' && form.startAt ? new Date(form.startAt).toISOString() : null,
      localHours: form.localHoursOn ? { from: form.from, to: form.to } : null,
    },
    replyFlowId: form.replyFlowId || null,
  };
}

/**
 * The `PATCH` body for an edited campaign: all of it for a draft; for a scheduled one, neither the
 * audience nor the number (its recipients were taken when it was started, and the server refuses both).
 */
export function campaignPatch(status: CampaignStatus, request: CampaignRequest): Partial<CampaignRequest> {
  if (status !== 'scheduled') return request;
  const { audience: _audience, channelId: _channelId, ...rest } = request;
  return rest;
}

/** The form for a stored campaign (editing a draft or a scheduled one). */
export function campaignForm(c: Campaign): CampaignForm {
  const segment = 'segmentId' in c.audience ? c.audience.segmentId : null;
  return {
    name: c.name,
    channelId: c.channelId,
    // The stored template without `category` (the server derives it, and refuses it in a request).
    template: (({ category: _category, ...rest }) => rest)(c.template),
    audienceKind: segment === null ? 'filter' : 'segment',
    segmentId: segment ?? '',
    filter: 'filter' in c.audience ? fromFilter(c.audience.filter) : EMPTY_FORM,
    startMode: c.schedule.startAt ? 'at' : 'now',
    startAt: c.schedule.startAt ? toLocalInput(c.schedule.startAt) : '',
    localHoursOn: c.schedule.localHours !== null,
    from: c.schedule.localHours?.from ?? EMPTY_CAMPAIGN.from,
    to: c.schedule.localHours?.to ?? EMPTY_CAMPAIGN.to,
    replyFlowId: c.replyFlowId ?? '',
  };
}

/** Where a problem shows in the form: a field group, a parameter's key (`body:1`), or `general`. */
export type ProblemPlace =
  | 'name'
  | 'channelId'
  | 'template'
  | 'audience'
  | 'schedule'
  | 'replyFlowId'
  | 'general'
  | `header:${string}`
  | `body:${string}`;

/**
 * Sorts the server's problems by the field they name. Paths come as `$.body.template.body.params.1`
 * (the request validator), `$.body.template.body.params[1]` (the template checks) or
 * `template.body.params.1`; a parameter's index is turned into the field's
 * key with the template's slots.
 */
export function problemsByPlace(
  problems: readonly ApiProblem[],
  slots: TemplateSlots | null,
): Partial<Record<ProblemPlace, string[]>> {
  const out: Partial<Record<ProblemPlace, string[]>> = {};
  const add = (place: ProblemPlace, message: string) => {
    out[place] = [...(out[place] ?? []), message];
  };
  for (const p of problems) {
    const parts = p.path
      .replace(/\[(\d+)\]/g, '.$1')
      .replace(/^\$\.?/, '')
      .replace(/^body\./, '')
      .split('.')
      .filter(Boolean);
    const [head, part, list, index] = parts;
    if (head === 'template' && (part === 'header' || part === 'body') && list === 'params' && slots) {
      const names =
        part === 'header' ? (slots.header.kind === 'text' ? slots.header.params : []) : slots.body;
      const name = names[Number(index)];
      if (name !== undefined) {
        add(`${part}:${name}`, p.message);
        continue;
      }
    }
    if (
      head === 'name' ||
      head === 'channelId' ||
      head === 'template' ||
      head === 'audience' ||
      head === 'schedule' ||
      head === 'replyFlowId'
    )
      add(head, p.message);
    else add('general', p.path ? `${p.path}: ${p.message}` : p.message);
  }
  return out;
}

/** The bar's percent: the server's, kept within 0–100 and whole; an empty finished campaign is 100 %. */
export function percentOf(c: Pick<Campaign, 'progress' | 'status'>): number {
  if (c.progress.total === 0) return c.status === 'completed' ? 100 : 0;
  const percent = Number.isFinite(c.progress.percent)
    ? c.progress.percent
    : (c.progress.processed / c.progress.total) * 100;
  return Math.min(100, Math.max(0, Math.floor(percent)));
}

/** Whether the page keeps reading the campaign: while it may still move (not once it is over or a draft). */
export function isLive(status: CampaignStatus): boolean {
  return status === 'running' || status === 'scheduled' || status === 'paused';
}

/**
 * Whether the campaign's page keeps reading it: while it is live, and after it completed or was
 * cancelled for as long as messages are still queued (a recipient is processed once its message is
 * queued, so 100 % can come before the last sends; their results should still show).
 */
export function keepsReading(c: Pick<Campaign, 'status' | 'counts'>): boolean {
  return isLive(c.status) || (c.status !== 'draft' && c.counts.queued > 0);
}

/** The buttons a campaign in this status offers (the server refuses the others with 409). */
export function actionsFor(status: CampaignStatus) {
  return {
    start: status === 'draft',
    edit: status === 'draft' || status === 'scheduled',
    pause: status === 'running' || status === 'scheduled',
    resume: status === 'paused',
    cancel: status === 'running' || status === 'scheduled' || status === 'paused',
    delete: status === 'draft' || status === 'completed' || status === 'cancelled',
  };
}

/** Every state a recipient can be in, in the order the results table lists them. */
export const RECIPIENT_STATES = [
  'pending',
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
  'skipped',
  'cancelled',
] as const;

/** Recipients whose message went out (sent, delivered or read: each counted once, in its furthest state). */
export function sentOrBeyond(counts: Campaign['counts']): number {
  return counts.sent + counts.delivered + counts.read;
}

/** The string key of a label that may be unknown to this editor (a reason the server added later). */
export function knownKey(prefix: string, value: string, known: readonly string[]): string | null {
  return known.includes(value) ? `${prefix}.${value}` : null;
}

export const SKIP_REASONS = ['opted_out', 'not_opted_in', 'blocked_region', 'missing_parameter'] as const;
export const WAIT_REASONS = ['messaging_limit', 'local_hours', 'scheduled'] as const;

/** Every campaign status, in lifecycle order (the list's status filter). */
export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'completed',
  'cancelled',
] as const;
