import { describe, expect, it } from 'vitest';
import { failed, fakeHttp, ok } from '../../test/fake-services.js';
import { inboundEvent, runFlow } from '../../test/harness.js';
import type { HttpOutcome } from '../routing-services.js';

async function addLead(params: object, answer: HttpOutcome = ok({ result: 1203 })) {
  const http = fakeHttp(answer);
  const run = await runFlow(
    [{ id: 'lead', type: 'bitrix24.addLead', params }],
    ['start->lead'],
    inboundEvent('573001234567', { type: 'text', text: 'Quiero una cotización para 20 equipos' }),
    { services: http.services, trigger: 'trigger.whatsappMessage' },
  );
  const step = run.steps.find((s) => s.nodeId === 'lead');
  return { port: run.portsOf('lead')[0], output: step?.output, requests: http.requests };
}

describe('bitrix24.addLead', () => {
  it('adds a lead with the title, WhatsApp name, number and message, linked to a contact', async () => {
    const { port, output, requests } = await addLead({
      credential: 'bitrix-acme',
      title: 'WhatsApp: {{ trigger.profileName }}',
      contactId: 41,
    });
    expect(requests).toEqual([
      {
        method: 'POST',
        url: 'crm.lead.add.json',
        credential: 'bitrix-acme',
        credentialTypes: ['bitrix24'],
        body: {
          fields: {
            TITLE: 'WhatsApp: Cliente',
            NAME: 'Cliente',
            PHONE: [{ VALUE: '+573001234567', VALUE_TYPE: 'MOBILE' }],
            COMMENTS: 'Quiero una cotización para 20 equipos',
            SOURCE_ID: 'OTHER',
            CONTACT_ID: '41',
          },
        },
        timeoutMs: 10_000,
        hasSignal: true,
      },
    ]);
    expect([port, output]).toEqual(['out', { id: '1203' }]);
  });

  it('reports a refused request on error', async () => {
    const { port, output } = await addLead({ credential: 'b', title: 'x' }, failed('credential', null));
    expect(port).toBe('error');
    expect(output).toMatchObject({ reason: 'credential', status: null });
  });
});
