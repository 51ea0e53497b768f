import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type FlowNode, flowDoc, type Loose, startWhatsAppServer } from './wa-helpers.js';

let s: Awaited<ReturnType<typeof startWhatsAppServer>>;

beforeAll(async () => {
  s = await startWhatsAppServer({ SWITCHBOARD_EDITOR_DIR: '/nonexistent-editor-dir' });
});
afterAll(() => s.close());

/** A flow started by a WhatsApp message (`start` is a trigger.whatsappMessage). */
function waFlow(id: string, nodes: FlowNode[], edges: string[], settings?: object) {
  const doc = flowDoc(id, nodes, edges) as Loose;
  doc.nodes[0] = { ...doc.nodes[0], type: 'trigger.whatsappMessage' };
  if (settings) doc.settings = settings;
  return doc;
}
const say = (id: string, text: string): FlowNode => ({ id, type: 'whatsapp.sendText', params: { text } });

const simulate = (json: object) => s.api('/api/simulator/messages', { method: 'POST', json });
const conversation = async (waId: string, after?: string) =>
  (await s.api(`/api/simulator/conversation?waId=${waId}${after ? `&after=${after}` : ''}`)).body;
/** Polls the conversation until `check` holds; returns the last answer. */
const conversationUntil = (waId: string, check: (c: Loose) => boolean) =>
  eventually(async () => {
    const c = await conversation(waId);
    return check(c) ? c : undefined;
  });
const outTexts = (c: Loose) =>
  c.messages.filter((m: Loose) => m.direction === 'out').map((m: Loose) => m.text);

describe('simulator: testing a flow with simulated WhatsApp messages', () => {
  it('runs the flow under test even when inactive; its reply goes through the sandbox to read; an active flow on the same trigger is not run', async () => {
    await s.install(waFlow('sim-hello', [say('reply', '¡Hola! ¿En qué te ayudo?')], ['start->reply']), false);
    await s.install(waFlow('live-hello', [say('reply', 'live')], ['start->reply']), true);
    const waId = '34611000001';
    const posted = await simulate({ flowId: 'sim-hello', from: waId, text: 'hola' });
    expect(posted.status).toBe(200);
    expect(posted.body.messageId).toMatch(/^wamid\./);

    const done = await conversationUntil(waId, (c) =>
      c.messages.some((m: Loose) => m.direction === 'out' && m.status === 'read'),
    );
    expect(done.messages.map((m: Loose) => [m.direction, m.type, m.text])).toEqual([
      ['in', 'text', 'hola'],
      ['out', 'text', '¡Hola! ¿En qué te ayudo?'],
    ]);
    expect(done.messages[0]).toMatchObject({ id: posted.body.messageId, status: 'delivered' });
    const reply = done.messages[1];
    expect(reply).toMatchObject({ status: 'read', nodeId: 'reply' });
    expect(done.runs).toHaveLength(1);
    expect(done.runs[0]).toMatchObject({ flowId: 'sim-hello', status: 'succeeded', contactId: waId });
    // Every tick came from the sandbox's status webhooks, through the real ingress.
    const history = (await s.api(`/api/messages/${reply.id}`)).body.history.map((h: Loose) => h.status);
    expect(history).toEqual(expect.arrayContaining(['queued', 'accepted', 'sent', 'delivered', 'read']));
    expect(s.rt.sandbox.sends.some((x) => x.body.to === `+${waId}`)).toBe(true);
    // The active flow listening to the same messages never saw it.
    expect((await s.api('/api/executions?flowId=live-hello')).body.items).toEqual([]);
  });

  it('polls cheaply: `after` returns only what is new or changed since the cursor', async () => {
    const waId = '34611000002';
    await simulate({ flowId: 'sim-hello', from: waId, text: 'primero' });
    const first = await conversationUntil(waId, (c) =>
      c.messages.some((m: Loose) => m.direction === 'out' && m.status === 'read'),
    );
    const quiet = await conversation(waId, first.cursor);
    expect(quiet.messages).toEqual([]);
    expect(quiet.cursor).toBe(first.cursor);
    await simulate({ flowId: 'sim-hello', from: waId, text: 'segundo' });
    const next = await eventually(async () => {
      const c = await conversation(waId, first.cursor);
      return c.messages.some((m: Loose) => m.direction === 'out') ? c : undefined;
    });
    expect(next.messages[0]).toMatchObject({ direction: 'in', text: 'segundo' });
    expect(next.messages.every((m: Loose) => m.text !== 'primero')).toBe(true);
    expect(next.runs).toHaveLength(2);
    const bad = await s.api(`/api/simulator/conversation?waId=${waId}&after=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.body.problems[0].path).toBe('$.query.after');
  });

  it('shows the bot’s buttons, and a tapped button resumes the send-and-wait that asked', async () => {
    await s.install(
      waFlow(
        'sim-confirm',
        [
          {
            id: 'ask',
            type: 'whatsapp.sendAndWait',
            params: {
              text: '¿Confirmas la cita?',
              buttons: [
                { id: 'yes', title: 'Sí' },
                { id: 'no', title: 'No' },
              ],
            },
          },
          say('ok', 'Cita confirmada'),
          say('ko', 'Cita cancelada'),
        ],
        ['start->ask', 'ask.yes->ok', 'ask.no->ko'],
      ),
      false,
    );
    const waId = '34611000003';
    await simulate({ flowId: 'sim-confirm', from: waId, text: 'quiero una cita' });
    const asked = await conversationUntil(
      waId,
      (c) =>
        c.messages.some((m: Loose) => m.interactive?.type === 'button') && c.runs[0]?.status === 'waiting',
    );
    const question = asked.messages.find((m: Loose) => m.direction === 'out');
    expect(question).toMatchObject({
      type: 'buttons',
      text: '¿Confirmas la cita?',
      interactive: {
        type: 'button',
        body: '¿Confirmas la cita?',
        buttons: [
          { id: 'yes', title: 'Sí' },
          { id: 'no', title: 'No' },
        ],
      },
    });
    const tap = await simulate({
      flowId: 'sim-confirm',
      from: waId,
      message: {
        type: 'interactive',
        context: { id: question.id },
        interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Sí' } },
      },
    });
    expect(tap.status).toBe(200);
    const answered = await conversationUntil(waId, (c) => outTexts(c).includes('Cita confirmada'));
    expect(answered.messages.find((m: Loose) => m.id === tap.body.messageId)).toMatchObject({
      direction: 'in',
      type: 'button_reply',
      text: 'Sí',
      interactive: { type: 'button_reply', id: 'yes', title: 'Sí' },
    });
    // The tap resumed the waiting run; it did not start a second one.
    const runs = await eventually(async () => {
      const c = await conversation(waId);
      return c.runs[0]?.status === 'succeeded' ? c.runs : undefined;
    });
    expect(runs).toHaveLength(1);
    expect(outTexts(answered)).not.toContain('Cita cancelada');
  });

  it('a clock override makes a business-hours check take the branch of that time', async () => {
    await s.install(
      waFlow(
        'sim-hours',
        [
          {
            id: 'hours',
            type: 'condition.businessHours',
            params: { schedule: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }] },
          },
          say('open', 'Te atendemos ahora'),
          say('closed', 'Estamos cerrados'),
        ],
        ['start->hours', 'hours.open->open', 'hours.closed->closed'],
        { timezone: 'Europe/Madrid' },
      ),
      false,
    );
    // Saturday night in Madrid, and Monday morning: whatever the real time is.
    await simulate({
      flowId: 'sim-hours',
      from: '34611000004',
      text: 'hola',
      clock: '2026-05-02T22:00:00+02:00',
    });
    await simulate({
      flowId: 'sim-hours',
      from: '34611000005',
      text: 'hola',
      clock: '2026-05-04T10:30:00+02:00',
    });
    const saturday = await conversationUntil('34611000004', (c) => outTexts(c).length > 0);
    const monday = await conversationUntil('34611000005', (c) => outTexts(c).length > 0);
    expect(outTexts(saturday)).toEqual(['Estamos cerrados']);
    expect(outTexts(monday)).toEqual(['Te atendemos ahora']);
  });

  it('an injected 131047 shows the send as failed with its code; the next send succeeds', async () => {
    const waId = '34611000006';
    const fault = await s.api('/api/simulator/faults', {
      method: 'POST',
      json: { waId, code: 131047, title: 'Re-engagement message' },
    });
    expect(fault.status).toBe(204);
    await simulate({ flowId: 'sim-hello', from: waId, text: 'hola' });
    const failed = await conversationUntil(waId, (c) =>
      c.messages.some((m: Loose) => m.direction === 'out' && m.status === 'failed'),
    );
    expect(failed.messages.find((m: Loose) => m.direction === 'out')).toMatchObject({
      status: 'failed',
      error: { code: 131047, title: 'Re-engagement message' },
    });
    await simulate({ flowId: 'sim-hello', from: waId, text: 'otra vez' });
    const ok = await conversationUntil(
      waId,
      (c) =>
        c.messages.filter((m: Loose) => m.direction === 'out').length === 2 &&
        c.messages.at(-1).status === 'read',
    );
    expect(ok.messages.map((m: Loose) => `${m.direction}:${m.status}`)).toEqual([
      'in:delivered',
      'out:failed',
      'in:delivered',
      'out:read',
    ]);
    const badFault = await s.api('/api/simulator/faults', {
      method: 'POST',
      json: { waId, code: 'x', title: '' },
    });
    expect(badFault.status).toBe(400);
    expect(badFault.body.problems.map((p: Loose) => p.path)).toEqual(['$.body.code', '$.body.title']);
  });

  it('refuses a message for a flow whose latest version is a draft, naming its problems; and an unknown flow', async () => {
    const draft = waFlow('sim-draft', [{ id: 'oops', type: 'whatsapp.sendTxt' }], ['start->oops']);
    expect((await s.api('/api/flows?draft=true', { method: 'POST', json: draft })).status).toBe(201);
    const refused = await simulate({ flowId: 'sim-draft', from: '34611000007', text: 'hola' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('invalid_flow');
    expect(refused.body.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '$.nodes[1].type', code: 'unknown_node_type' }),
      ]),
    );
    expect((await simulate({ flowId: 'nope', from: '34611000007', text: 'hola' })).status).toBe(404);
    const both = await simulate({
      flowId: 'sim-hello',
      from: '34611000007',
      text: 'a',
      message: { type: 'text' },
    });
    expect(both.status).toBe(400);
    expect(both.body.problems[0].path).toBe('$.body.text');
    const badClock = await simulate({
      flowId: 'sim-hello',
      from: '34611000007',
      text: 'a',
      clock: 'saturday',
    });
    expect(badClock.status).toBe(400);
    expect(badClock.body.problems[0].path).toBe('$.body.clock');
  });

  it('keeps simulated customers with their profile, consent and 24-hour window, apart from real contacts', async () => {
    const waId = '34611000008';
    const put = await s.api(`/api/simulator/contacts/${waId}`, {
      method: 'PUT',
      json: {
        name: 'Lucía',
        country: 'mx',
        tier: 'gold',
        optedIn: false,
        lastMessageHoursAgo: 30,
        attributes: { city: 'Puebla' },
        timezone: 'America/Mexico_City',
      },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      channel: 'simulator',
      waId,
      name: 'Lucía',
      country: 'MX',
      attributes: { city: 'Puebla', tier: 'gold' },
      consent: { all: { optedIn: false, source: 'simulator' } },
      timezone: 'America/Mexico_City',
      windowOpen: false,
    });
    expect(Date.now() - Date.parse(put.body.lastInboundAt)).toBeGreaterThan(29 * 3_600_000);
    const reopened = await s.api(`/api/simulator/contacts/${waId}`, {
      method: 'PUT',
      json: { lastMessageHoursAgo: 1, tier: null },
    });
    expect(reopened.body).toMatchObject({ windowOpen: true, attributes: { city: 'Puebla' }, name: 'Lucía' });
    expect(reopened.body.attributes).not.toHaveProperty('tier');
    // Simulated messages carry the profile name set here (WhatsApp sends it with each message).
    await simulate({ flowId: 'sim-hello', from: waId, text: 'hola' });
    await conversationUntil(waId, (c) => c.runs[0]?.status === 'succeeded');
    const listed = (await s.api('/api/simulator/contacts')).body.items;
    expect(listed.find((c: Loose) => c.waId === waId)).toMatchObject({ name: 'Lucía', flowId: 'sim-hello' });
    expect(listed.map((c: Loose) => c.waId)).toContain(waId);
    expect(listed.find((c: Loose) => c.waId === '34611000001')).toMatchObject({ flowId: 'sim-hello' });
    // Customers' contact list leaves test contacts out unless asked for.
    const real = (await s.api('/api/contacts?limit=500')).body.items;
    expect(real.some((c: Loose) => c.channel === 'simulator')).toBe(false);
    const bad = await s.api(`/api/simulator/contacts/${waId}`, {
      method: 'PUT',
      json: { country: 'Spain', lastMessageHoursAgo: -1, timezone: 'Mars/Base' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.problems.map((p: Loose) => p.path).sort()).toEqual([
      '$.body.country',
      '$.body.lastMessageHoursAgo',
      '$.body.timezone',
    ]);
    expect((await s.api('/api/simulator/contacts/12ab', { method: 'PUT', json: {} })).status).toBe(400);
  });

  it('a fresh start cancels the contact’s waiting runs and forgets its messages', async () => {
    const waId = '34611000009';
    await simulate({ flowId: 'sim-confirm', from: waId, text: 'hola' });
    const waiting = await conversationUntil(waId, (c) => c.runs[0]?.status === 'waiting');
    const cleared = await s.api(`/api/simulator/contacts/${waId}/conversation`, { method: 'DELETE' });
    expect(cleared.status).toBe(200);
    expect(cleared.body.cancelledRuns).toEqual([waiting.runs[0].id]);
    expect((await s.execution(waiting.runs[0].id)).status).toBe('cancelled');
    const empty = await conversation(waId);
    expect(empty).toMatchObject({ messages: [], runs: [] });
    // Nothing is waiting any more: a new message starts a run afresh.
    await simulate({ flowId: 'sim-hello', from: waId, text: 'de nuevo' });
    const again = await conversationUntil(waId, (c) => outTexts(c).length > 0);
    expect(again.messages.map((m: Loose) => m.text)).toEqual(['de nuevo', '¡Hola! ¿En qué te ayudo?']);
    expect(again.runs.map((r: Loose) => r.flowId)).toEqual(['sim-hello']);
  });

  it('documents the simulator routes in OpenAPI', async () => {
    const doc = (await s.api('/api/openapi.json')).body;
    for (const path of [
      '/api/simulator/contacts',
      '/api/simulator/contacts/{waId}',
      '/api/simulator/contacts/{waId}/conversation',
      '/api/simulator/messages',
      '/api/simulator/conversation',
      '/api/simulator/faults',
    ])
      expect(doc.paths).toHaveProperty([path]);
  });
});
