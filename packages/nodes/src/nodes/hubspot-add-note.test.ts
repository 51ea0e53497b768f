import { describe, expect, it } from 'vitest';
import { fakeHttp, ok } from '../../test/fake-services.js';
import { inboundEvent, runFlow } from '../../test/harness.js';

async function addNote(params: object) {
  const http = fakeHttp(ok({ id: '88', properties: {} }, 201));
  const run = await runFlow(
    [{ id: 'note', type: 'hubspot.addNote', params }],
    ['start->note'],
    inboundEvent('34600000001', { type: 'text', text: 'Me llamo Ana y quiero el plan anual' }),
    { services: http.services, trigger: 'trigger.whatsappMessage', at: '2026-05-04T10:15:00.000Z' },
  );
  const step = run.steps.find((s) => s.nodeId === 'note');
  return { port: run.portsOf('note')[0], output: step?.output, requests: http.requests };
}

describe('hubspot.addNote', () => {
  it('adds the customer’s message as a note on the contact’s timeline, now (type 202)', async () => {
    const { port, output, requests } = await addNote({ credential: 'hs', contactId: 512 });
    expect(requests).toEqual([
      {
        method: 'POST',
        url: '/crm/v3/objects/notes',
        credential: 'hs',
        credentialTypes: ['hubspot'],
        body: {
          properties: {
            hs_timestamp: '2026-05-04T10:15:00.000Z',
            hs_note_body: 'Me llamo Ana y quiero el plan anual',
          },
          associations: [
            {
              to: { id: '512' },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }],
            },
          ],
        },
        timeoutMs: 10_000,
        hasSignal: true,
      },
    ]);
    expect([port, output]).toEqual(['out', { id: '88' }]);
  });

  it('reports a missing contact id on error, without calling', async () => {
    const { port, output, requests } = await addNote({ credential: 'hs', note: 'Llamar mañana' });
    expect(port).toBe('error');
    expect(output).toMatchObject({ reason: 'missing_contact_id' });
    expect(requests).toEqual([]);
  });
});
