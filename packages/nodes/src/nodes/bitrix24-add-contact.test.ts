import { describe, expect, it } from 'vitest';
import { fakeHttp, ok } from '../../test/fake-services.js';
import { inboundEvent, runFlow } from '../../test/harness.js';
import type { HttpOutcome } from '../routing-services.js';

async function addContact(params: object, answer: HttpOutcome = ok({ result: 77 })) {
  const http = fakeHttp(answer);
  const run = await runFlow(
    [{ id: 'add', type: 'bitrix24.addContact', params }],
    ['start->add'],
    inboundEvent('573001234567', { type: 'text', text: 'hola' }),
    { services: http.services, trigger: 'trigger.whatsappMessage' },
  );
  const step = run.steps.find((s) => s.nodeId === 'add');
  return { port: run.portsOf('add')[0], output: step?.output, requests: http.requests };
}

describe('bitrix24.addContact', () => {
  it('adds the contact with the WhatsApp name and mobile number, announced in the activity stream', async () => {
    const { port, output, requests } = await addContact({
      credential: 'bitrix-acme',
      lastName: 'Pérez',
      sourceId: 'OTHER',
      fields: { UF_CRM_TIER: 'gold', UF_CRM_MISSING: '{{ vars.nothing }}' },
    });
    expect(requests).toEqual([
      {
        method: 'POST',
        url: 'crm.contact.add.json',
        credential: 'bitrix-acme',
        credentialTypes: ['bitrix24'],
        body: {
          fields: {
            UF_CRM_TIER: 'gold',
            NAME: 'Cliente',
            LAST_NAME: 'Pérez',
            PHONE: [{ VALUE: '+573001234567', VALUE_TYPE: 'MOBILE' }],
            SOURCE_ID: 'OTHER',
          },
          params: { REGISTER_SONET_EVENT: 'Y' },
        },
        timeoutMs: 10_000,
        hasSignal: true,
      },
    ]);
    expect([port, output]).toEqual(['out', { id: '77' }]);
  });

  it('reports Bitrix24’s error on error', async () => {
    const { port, output } = await addContact(
      { credential: 'b' },
      ok({ error: 'ACCESS_DENIED', error_description: 'Access denied.' }),
    );
    expect(port).toBe('error');
    expect(output).toMatchObject({
      reason: 'bitrix24_error',
      message: 'crm.contact.add.json: ACCESS_DENIED: Access denied.',
    });
  });
});
