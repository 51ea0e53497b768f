import { describe, expect, it } from 'vitest';
import type { TemplateSlots } from '../../templates/slots';
import { EMPTY_FORM } from '../contacts/filter';
import {
  actionsFor,
  campaignForm,
  campaignPatch,
  campaignRequest,
  EMPTY_CAMPAIGN,
  isLive,
  keepsReading,
  percentOf,
  problemsByPlace,
  sentOrBeyond,
} from './model';
import type { Campaign } from './types';

const slots: TemplateSlots = {
  header: { kind: 'text', params: ['first_name'] },
  body: ['first_name', 'discount_code'],
  named: true,
  buttons: [],
};

const counts = {
  pending: 0,
  queued: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 1,
  skipped: 1,
  cancelled: 0,
  replied: 2,
};

describe('the campaign form', () => {
  it('makes the request: a segment or an inline filter, start now or at a time, local hours, reply flow', () => {
    const template = { name: 'ofertas_semana', language: 'es' };
    expect(
      campaignRequest({
        ...EMPTY_CAMPAIGN,
        name: ' Rebajas ',
        channelId: 'default',
        template,
        segmentId: 's1',
      }),
    ).toEqual({
      name: 'Rebajas',
      channelId: 'default',
      template,
      audience: { segmentId: 's1' },
      schedule: { startAt: null, localHours: null },
      replyFlowId: null,
    });
    const at = campaignRequest({
      ...EMPTY_CAMPAIGN,
      template,
      audienceKind: 'filter',
      filter: { ...EMPTY_FORM, optedIn: 'marketing', tagsAny: 'vip' },
      startMode: 'at',
      startAt: '2027-01-05T09:30',
      localHoursOn: true,
      from: '10:00',
      to: '18:30',
      replyFlowId: 'promo-replies',
    });
    expect(at.audience).toEqual({ filter: { tags: { any: ['vip'] }, optedIn: 'marketing' } });
    // The browser's local time, sent as an instant.
    expect(at.schedule).toEqual({
      startAt: new Date(2027, 0, 5, 9, 30).toISOString(),
      localHours: { from: '10:00', to: '18:30' },
    });
    expect(at.replyFlowId).toBe('promo-replies');
  });

  it('reads a stored campaign back into the form, so saving it unchanged sends the same campaign', () => {
    const stored = {
      id: 'c1',
      name: 'Rebajas',
      channelId: 'default',
      template: { name: 'ofertas_semana', language: 'es', category: 'marketing' },
      audience: { filter: { country: { in: ['ES'] } } },
      schedule: { startAt: '2027-01-05T08:30:00.000Z', localHours: { from: '09:00', to: '21:00' } },
      replyFlowId: 'f1',
      status: 'scheduled',
    } as unknown as Campaign;
    const form = campaignForm(stored);
    expect(form.audienceKind).toBe('filter');
    expect(campaignRequest(form)).toEqual({
      name: 'Rebajas',
      channelId: 'default',
      // Without the category: the server derives it and refuses it in a request.
      template: { name: 'ofertas_semana', language: 'es' },
      audience: stored.audience,
      schedule: stored.schedule,
      replyFlowId: 'f1',
    });
  });

  it('edits a scheduled campaign without its audience or number (taken at the start), a draft wholly', () => {
    const request = campaignRequest({ ...EMPTY_CAMPAIGN, channelId: 'default', segmentId: 's1' });
    expect(campaignPatch('draft', request)).toEqual(request);
    const patch = campaignPatch('scheduled', request);
    expect(Object.keys(patch).sort()).toEqual(['name', 'replyFlowId', 'schedule', 'template']);
  });

  it('puts the server’s problems next to the fields they name, parameters by their name', () => {
    const placed = problemsByPlace(
      [
        { path: '$.body.name', message: 'a name is required' },
        { path: '$.body.template.body.params.1', message: 'empty' },
        { path: '$.body.template.body.params[0]', message: 'unknown placeholder' },
        { path: 'template.header.params.0', message: 'too long' },
        { path: 'template', message: 'not APPROVED' },
        { path: '$.body.audience.segmentId', message: 'unknown segment' },
        { path: '$.body.schedule.localHours.from', message: 'HH:MM' },
        { path: '$.body.replyFlowId', message: 'unknown flow' },
        { path: '$.body.other', message: 'odd' },
      ],
      slots,
    );
    expect(placed).toEqual({
      name: ['a name is required'],
      'body:discount_code': ['empty'],
      'body:first_name': ['unknown placeholder'],
      'header:first_name': ['too long'],
      template: ['not APPROVED'],
      audience: ['unknown segment'],
      schedule: ['HH:MM'],
      replyFlowId: ['unknown flow'],
      general: ['$.body.other: odd'],
    });
    // Without the template's slots, a parameter problem stays with the template.
    expect(problemsByPlace([{ path: 'template.body.params.5', message: 'x' }], null)).toEqual({
      template: ['x'],
    });
  });
});

describe('a campaign’s progress and controls', () => {
  const at = (status: Campaign['status'], total: number, processed: number, percent: number) =>
    percentOf({ status, progress: { total, processed, percent } });

  it('shows a whole percent within 0–100, and 100 % for a finished campaign with nobody to send to', () => {
    expect(at('running', 3, 1, 33.333)).toBe(33);
    expect(at('running', 3, 3, 100)).toBe(100);
    expect(at('running', 3, 4, 133)).toBe(100);
    expect(at('running', 3, 1, Number.NaN)).toBe(33);
    expect(at('completed', 0, 0, 0)).toBe(100);
    expect(at('running', 0, 0, 0)).toBe(0);
  });

  it('keeps reading a campaign only while it can still move', () => {
    expect(
      ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'].filter((s) =>
        isLive(s as Campaign['status']),
      ),
    ).toEqual(['scheduled', 'running', 'paused']);
  });

  it('keeps reading a finished campaign while messages it queued are still to be sent', () => {
    expect(keepsReading({ status: 'completed', counts: { ...counts, queued: 2 } })).toBe(true);
    expect(keepsReading({ status: 'completed', counts: { ...counts, queued: 0 } })).toBe(false);
    expect(keepsReading({ status: 'cancelled', counts: { ...counts, queued: 0 } })).toBe(false);
    expect(keepsReading({ status: 'draft', counts: { ...counts, queued: 0 } })).toBe(false);
    expect(keepsReading({ status: 'running', counts: { ...counts, queued: 0 } })).toBe(true);
  });

  it('offers the transitions the server allows', () => {
    expect(actionsFor('draft')).toEqual({
      start: true,
      edit: true,
      pause: false,
      resume: false,
      cancel: false,
      delete: true,
    });
    expect(actionsFor('running')).toEqual({
      start: false,
      edit: false,
      pause: true,
      resume: false,
      cancel: true,
      delete: false,
    });
    expect(actionsFor('paused')).toMatchObject({ pause: false, resume: true, cancel: true, delete: false });
    expect(actionsFor('completed')).toEqual({
      start: false,
      edit: false,
      pause: false,
      resume: false,
      cancel: false,
      delete: true,
    });
  });

  it('counts a recipient whose message went out once, whatever its furthest state', () => {
    expect(sentOrBeyond(counts)).toBe(9);
  });
});
