import { describe, expect, it } from 'vitest';
import { failed, fakeHttp, ok, retryAtOnce } from '../../test/fake-services.js';
import { inboundEvent, runFlow } from '../../test/harness.js';
import type { HttpOutcome } from '../routing-services.js';

async function createTicket(
  params: object,
  answers: HttpOutcome[],
  options: { found?: boolean; maxTries?: number } = {},
) {
  const http = fakeHttp(...answers);
  const ticket = {
    id: 'ticket',
    type: 'hubspot.createTicket',
    params,
    retry: retryAtOnce(options.maxTries ?? 1),
  };
  // "Set variable" stands in for "HubSpot: find contact", which saves the contact as vars.hubspot.
  const found = {
    id: 'found',
    type: 'data.setVariable',
    params: { assignments: [{ name: 'hubspot', value: { id: '512' } }] },
  };
  const run = await runFlow(
    options.found ? [found, ticket] : [ticket],
    options.found ? ['start->found', 'found->ticket'] : ['start->ticket'],
    inboundEvent('34600000001', { type: 'text', text: 'Quiero devolver un pedido' }),
    { services: http.services, trigger: 'trigger.whatsappMessage' },
  );
  const steps = run.steps.filter((s) => s.nodeId === 'ticket');
  return { ports: run.portsOf('ticket'), output: steps.at(-1)?.output, requests: http.requests };
}

describe('hubspot.createTicket', () => {
  it('creates a ticket in the pipeline and stage, linked to the contact found before (type 16)', async () => {
    const { ports, output, requests } = await createTicket(
      { credential: 'hs', subject: 'Devolución de {{ trigger.profileName }}', priority: 'HIGH' },
      [ok({ id: '7001', properties: {} }, 201)],
      { found: true },
    );
    expect(requests).toEqual([
      {
        method: 'POST',
        url: '/crm/v3/objects/tickets',
        credential: 'hs',
        credentialTypes: ['hubspot'],
        body: {
          properties: {
            hs_pipeline: '0',
            hs_pipeline_stage: '1',
            subject: 'Devolución de Cliente',
            content: 'Quiero devolver un pedido',
            hs_ticket_priority: 'HIGH',
          },
          associations: [
            { to: { id: '512' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 16 }] },
          ],
        },
        timeoutMs: 10_000,
        hasSignal: true,
      },
    ]);
    expect([ports, output]).toEqual([['out'], { id: '7001' }]);
  });

  it('creates it without a link when no contact was found, in the pipeline and stage given', async () => {
    const { requests } = await createTicket(
      { credential: 'hs', subject: 'x', content: 'y', pipeline: '12', stage: '34' },
      [ok({ id: '7002' })],
    );
    expect(requests[0]?.body).toEqual({
      properties: {
        hs_pipeline: '12',
        hs_pipeline_stage: '34',
        subject: 'x',
        content: 'y',
        hs_ticket_priority: 'MEDIUM',
      },
    });
  });

  it('retries a timeout, then reports it on error after the last try', async () => {
    const { ports, output, requests } = await createTicket(
      { credential: 'hs', subject: 'x' },
      [failed('timeout')],
      {
        maxTries: 3,
      },
    );
    expect(requests).toHaveLength(3);
    expect(ports).toEqual(['error']);
    expect(output).toMatchObject({ reason: 'timeout', status: null });
  });
});
