import { describe, expect, it } from 'vitest';
import { failed, fakeHttp, ok, retryAtOnce } from '../../test/fake-services.js';
import { inboundEvent, runFlow } from '../../test/harness.js';
import type { HttpOutcome } from '../routing-services.js';

const ANA = { id: '512', properties: { firstname: 'Ana', tier: 'vip', phone: '+5215512345678' } };

async function find(params: object, answers: HttpOutcome[], maxTries = 1) {
  const http = fakeHttp(...answers);
  const node = { id: 'find', type: 'hubspot.findContact', params, retry: retryAtOnce(maxTries) };
  const run = await runFlow(
    [node, { id: 'log', type: 'action.log', params: { message: 'tier={{ vars.hubspot.properties.tier }}' } }],
    ['start->find', 'find.found->log'],
    inboundEvent('5215512345678', { type: 'text', text: 'hola' }),
    { services: http.services, trigger: 'trigger.whatsappMessage' },
  );
  const steps = run.steps.filter((s) => s.nodeId === 'find');
  return {
    ports: run.portsOf('find'),
    output: steps.at(-1)?.output,
    requests: http.requests,
    logged: run.logger.lines.find((l) => l.msg?.startsWith('flow log:'))?.msg,
  };
}

describe('hubspot.findContact', () => {
  it('searches contacts by the customer’s number in E.164 and saves the one found', async () => {
    const { ports, output, requests, logged } = await find(
      { credential: 'hubspot-acme', properties: ['firstname', 'tier', 'phone'] },
      [ok({ total: 1, results: [ANA] })],
    );
    expect(requests).toEqual([
      {
        method: 'POST',
        url: '/crm/v3/objects/contacts/search',
        credential: 'hubspot-acme',
        credentialTypes: ['hubspot'],
        body: {
          filterGroups: [{ filters: [{ propertyName: 'phone', operator: 'EQ', value: '+5215512345678' }] }],
          properties: ['firstname', 'tier', 'phone'],
          limit: 1,
        },
        timeoutMs: 10_000,
        hasSignal: true,
      },
    ]);
    expect(ports).toEqual(['found']);
    expect(output).toEqual(ANA);
    expect(logged).toBe('flow log: tier=vip');
  });

  it('asks for the default properties, and a phone written with spaces as E.164', async () => {
    const { requests, ports, output } = await find({ credential: 'hs', phone: '+52 55 1234-5678' }, [
      ok({ total: 0, results: [] }),
    ]);
    expect(requests[0]?.body).toMatchObject({
      filterGroups: [{ filters: [{ value: '+525512345678' }] }],
      properties: ['firstname', 'lastname', 'email', 'phone'],
    });
    expect([ports, output]).toEqual([['notFound'], { phone: '+525512345678' }]);
  });

  it('retries a HubSpot 5xx, then reports a 401 on error at once', async () => {
    const retried = await find({ credential: 'hs' }, [failed('http_status', 502), ok({ results: [ANA] })], 2);
    expect([retried.ports, retried.requests.length]).toEqual([['found'], 2]);
    const denied = await find(
      { credential: 'hs' },
      [failed('http_status', 401, { category: 'INVALID_AUTHENTICATION' })],
      3,
    );
    expect([denied.ports, denied.requests.length]).toEqual([['error'], 1]);
    expect(denied.output).toMatchObject({ reason: 'http_status', status: 401 });
  });

  it('reports a phone param that is not a number on error, without calling', async () => {
    const { ports, output, requests } = await find({ credential: 'hs', phone: 'desconocido' }, [ok(null)]);
    expect(ports).toEqual(['error']);
    expect(output).toMatchObject({
      reason: 'missing_phone',
      message: 'phone: "desconocido" is not a phone number',
    });
    expect(requests).toEqual([]);
  });
});
