import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerSays, type InboxPeople, routeTo, setUpTeams } from './inbox-helpers.js';
import { eventually, flowDoc, type Loose, startWhatsAppServer } from './wa-helpers.js';

// Bot hand-off: while a person owns a contact's conversation (assigned or picked up), flows do not
// answer that contact; after a close or a hand-back they do again.

let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
let people: InboxPeople;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Runs of a flow for one contact (newest first). */
const runsOf = async (flowId: string, waId: string): Promise<Loose[]> =>
  (await s.api(`/api/executions?flowId=${flowId}&limit=100`)).body.items.filter(
    (r: Loose) => r.contactId === waId,
  );
const history = async (id: string): Promise<Loose[]> =>
  (await s.api(`/api/conversations/${id}`)).body.history;

beforeAll(async () => {
  s = await startWhatsAppServer();
  people = await setUpTeams(s.rt, s.api);
  // Answers every message ("echo"), and a second flow that asks a question and waits for the answer.
  await s.install(
    flowDoc(
      'echo',
      [{ id: 'reply', type: 'whatsapp.sendText', params: { text: 'Te leo' } }],
      ['start->reply'],
      'trigger.whatsappMessage',
    ),
  );
});
afterAll(() => s?.close());

describe('bot hand-off', () => {
  it('starts no flow for a contact whose conversation a person owns, records why, and resumes after hand-back', async () => {
    const wa = '34600200001';
    await customerSays(s.hook, wa, 'hola');
    await eventually(async () => (await runsOf('echo', wa)).length === 1);

    // Routed to Billing: Ana (available) gets it at once — state assigned.
    const id = await routeTo(s.rt, 'billing', wa);
    expect((await s.api(`/api/conversations/${id}`)).body).toMatchObject({
      state: 'assigned',
      agentId: 'ana',
    });
    const held = await customerSays(s.hook, wa, '¿hay alguien?');
    const skipped = await eventually(async () =>
      (await history(id)).find((e) => e.kind === 'bot_skipped' && e.data.messageId === held),
    );
    expect(skipped.data).toEqual({ messageId: held, reason: 'human_owns_conversation' });
    // The message itself is kept, and is in the inbox's history of the contact.
    const timeline = (await s.api(`/api/conversations/${id}/messages`, { headers: bearer(people.ana.key) }))
      .body;
    expect(timeline.items.some((i: Loose) => i.type === 'in' && i.messageId === held)).toBe(true);

    // Picked up (state open): still the person's.
    expect(
      (await s.api(`/api/conversations/${id}/pick-up`, { method: 'POST', headers: bearer(people.ana.key) }))
        .status,
    ).toBe(200);
    const held2 = await customerSays(s.hook, wa, 'gracias');
    await eventually(async () => (await history(id)).some((e) => e.data.messageId === held2));
    expect(await runsOf('echo', wa)).toHaveLength(1);

    // Handed back: the conversation closes with that reason, and the bot answers the next message.
    const back = await s.api(`/api/conversations/${id}/hand-back`, {
      method: 'POST',
      headers: bearer(people.ana.key),
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body).toMatchObject({ id, state: 'closed' });
    const closed = (await history(id)).find((e) => e.kind === 'closed');
    expect(closed.data).toMatchObject({
      reason: 'handed_back',
      agent: 'ana',
      by: { userId: people.ana.userId, name: 'Ana López', agentId: 'ana' },
    });
    // Ana's place is free again (she held it; now she holds nothing).
    expect((await s.api('/api/agents/ana')).body.open).toBe(0);
    await customerSays(s.hook, wa, 'otra pregunta');
    await eventually(async () => (await runsOf('echo', wa)).length === 2);
    // A closed conversation cannot be handed back again.
    const again = await s.api(`/api/conversations/${id}/hand-back`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('conversation_closed');
    expect((await s.api('/api/conversations/nope/hand-back', { method: 'POST' })).status).toBe(404);
  });

  it('lets flows answer while the conversation only waits in the queue (no person owns it yet)', async () => {
    const wa = '34600200002';
    // Nobody in Sales is available: the conversation stays queued.
    expect((await s.api('/api/agents/bob', { method: 'PATCH', json: { available: false } })).status).toBe(
      200,
    );
    const id = await routeTo(s.rt, 'sales', wa);
    expect((await s.api(`/api/conversations/${id}`)).body.state).toBe('queued');
    await customerSays(s.hook, wa, 'hola');
    await eventually(async () => (await runsOf('echo', wa)).length === 1);
    expect((await history(id)).some((e) => e.kind === 'bot_skipped')).toBe(false);
    expect((await s.api('/api/agents/bob', { method: 'PATCH', json: { available: true } })).status).toBe(200);
  });

  it('does not wake a run waiting for the contact’s reply while a person owns them; the first reply after the close does', async () => {
    await s.install(
      flowDoc(
        'ask-name',
        [
          {
            id: 'ask',
            type: 'whatsapp.askQuestion',
            params: { question: '¿Cómo te llamas?', variable: 'name', timeoutSeconds: 3600 },
          },
          { id: 'thanks', type: 'whatsapp.sendText', params: { text: 'Gracias {{ vars.name }}' } },
        ],
        ['start->ask', 'ask.answered->thanks'],
        'trigger.whatsappMessage',
      ),
    );
    // Only this flow answers now (echo would start on every message too).
    expect((await s.api('/api/flows/echo/deactivate', { method: 'POST' })).status).toBe(200);
    const wa = '34600200003';
    await customerSays(s.hook, wa, 'hola');
    const [run] = await eventually(async () => {
      const runs = await runsOf('ask-name', wa);
      return runs[0]?.status === 'waiting' ? runs : undefined;
    });

    const id = await routeTo(s.rt, 'billing', wa);
    const held = await customerSays(s.hook, wa, 'Lucía');
    await eventually(async () => (await history(id)).some((e) => e.data.messageId === held));
    expect((await s.api(`/api/executions/${run.id}`)).body.status).toBe('waiting');
    expect(await runsOf('ask-name', wa)).toHaveLength(1);

    expect((await s.api(`/api/conversations/${id}/close`, { method: 'POST' })).status).toBe(200);
    await customerSays(s.hook, wa, 'Marta');
    await eventually(async () => (await s.api(`/api/executions/${run.id}`)).body.status === 'succeeded');
    // The answer it took is the first one after the close, not the one the agent got.
    const sent = (await s.api(`/api/messages?waId=${wa}`)).body.items.map((m: Loose) => m.payload.text);
    expect(sent).toContain('Gracias Marta');
    expect(sent.join()).not.toContain('Lucía');
    expect(await runsOf('ask-name', wa)).toHaveLength(1);
  });
});
