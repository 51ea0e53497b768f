import { describe, expect, it } from 'vitest';
import { fakeHttp, ok } from '../../test/fake-services.js';
import { inboundEvent, runFlow } from '../../test/harness.js';
import type { HttpOutcome, HttpRequest } from '../routing-services.js';

const byUrl =
  (answers: Record<string, HttpOutcome>) =>
  (req: HttpRequest): HttpOutcome =>
    answers[`${req.method} ${req.url}`] ?? ok(null, 404);

async function upsert(params: object, answers: Record<string, HttpOutcome>) {
  const http = fakeHttp(byUrl(answers));
  const run = await runFlow(
    [{ id: 'upsert', type: 'hubspot.upsertContact', params }],
    ['start->upsert'],
    inboundEvent('34600000001', { type: 'text', text: 'hola' }),
    { services: http.services, trigger: 'trigger.whatsappMessage' },
  );
  const step = run.steps.find((s) => s.nodeId === 'upsert');
  return { port: run.portsOf('upsert')[0], output: step?.output, requests: http.requests };
}

const properties = {
  firstname: '{{ trigger.profileName }}',
  lifecyclestage: 'lead',
  missing: '{{ vars.nothing }}',
};

describe('hubspot.upsertContact', () => {
  it('updates the contact found by phone with PATCH, leaving out values that resolved to nothing', async () => {
    const { port, output, requests } = await upsert(
      { credential: 'hs', properties },
      {
        'POST /crm/v3/objects/contacts/search': ok({ total: 1, results: [{ id: '901', properties: {} }] }),
        'PATCH /crm/v3/objects/contacts/901': ok({ id: '901', properties: {} }),
      },
    );
    expect(requests.map((r) => [r.method, r.url, r.body])).toEqual([
      [
        'POST',
        '/crm/v3/objects/contacts/search',
        {
          filterGroups: [{ filters: [{ propertyName: 'phone', operator: 'EQ', value: '+34600000001' }] }],
          properties: ['phone'],
          limit: 1,
        },
      ],
      [
        'PATCH',
        '/crm/v3/objects/contacts/901',
        { properties: { firstname: 'Cliente', lifecyclestage: 'lead' } },
      ],
    ]);
    expect(requests.every((r) => r.credential === 'hs' && r.credentialTypes?.[0] === 'hubspot')).toBe(true);
    expect([port, output]).toEqual(['out', { id: '901', created: false }]);
  });

  it('creates the contact with its phone when none is found', async () => {
    const { output, requests } = await upsert(
      { credential: 'hs', properties },
      {
        'POST /crm/v3/objects/contacts/search': ok({ total: 0, results: [] }),
        'POST /crm/v3/objects/contacts': ok({ id: '902', properties: {} }, 201),
      },
    );
    expect(requests[1]).toMatchObject({
      method: 'POST',
      url: '/crm/v3/objects/contacts',
      body: { properties: { phone: '+34600000001', firstname: 'Cliente', lifecyclestage: 'lead' } },
    });
    expect(output).toEqual({ id: '902', created: true });
  });

  it('reports a failed update on error', async () => {
    const { port, output } = await upsert(
      { credential: 'hs', properties },
      {
        'POST /crm/v3/objects/contacts/search': ok({ results: [{ id: '901' }] }),
        'PATCH /crm/v3/objects/contacts/901': {
          ok: false,
          reason: 'http_status',
          status: 400,
          message: 'Property "x" does not exist',
          body: { category: 'VALIDATION_ERROR' },
        },
      },
    );
    expect(port).toBe('error');
    expect(output).toMatchObject({
      reason: 'http_status',
      status: 400,
      body: { category: 'VALIDATION_ERROR' },
    });
  });
});
