import { describe, expect, it } from 'vitest';
import { failed, fakeHttp, ok, retryAtOnce } from '../../test/fake-services.js';
import { inboundEvent, runFlow } from '../../test/harness.js';
import type { HttpOutcome } from '../routing-services.js';

const LUIS = { ID: '41', NAME: 'Luis', LAST_NAME: 'Pérez', UF_CRM_TIER: 'gold' };

async function find(params: object, answers: HttpOutcome[], maxTries = 1) {
  const http = fakeHttp(...answers);
  const node = { id: 'find', type: 'bitrix24.findContact', params, retry: retryAtOnce(maxTries) };
  const run = await runFlow(
    [
      node,
      { id: 'log', type: 'action.log', params: { message: 'tier={{ vars.bitrix24.fields.UF_CRM_TIER }}' } },
    ],
    ['start->find', 'find.found->log'],
    inboundEvent('573001234567', { type: 'text', text: 'hola' }),
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

describe('bitrix24.findContact', () => {
  it('lists contacts filtered by the customer’s phone, selecting the usual fields and the extra ones', async () => {
    const { ports, output, requests, logged } = await find(
      { credential: 'bitrix-acme', fields: ['UF_CRM_TIER'] },
      [ok({ result: [LUIS], total: 1 })],
    );
    expect(requests).toEqual([
      {
        method: 'POST',
        url: 'crm.contact.list.json',
        credential: 'bitrix-acme',
        credentialTypes: ['bitrix24'],
        body: {
          filter: { PHONE: '+573001234567' },
          select: ['ID', 'NAME', 'LAST_NAME', 'PHONE', 'EMAIL', 'UF_CRM_TIER'],
        },
        timeoutMs: 10_000,
        hasSignal: true,
      },
    ]);
    expect([ports, output]).toEqual([['found'], { id: '41', fields: LUIS }]);
    expect(logged).toBe('flow log: tier=gold');
  });

  it('goes through notFound on an empty list', async () => {
    const { ports, output } = await find({ credential: 'b' }, [ok({ result: [], total: 0 })]);
    expect([ports, output]).toEqual([['notFound'], { phone: '+573001234567' }]);
  });

  it('treats an error in a 200 answer as an error, without retrying it', async () => {
    const { ports, output, requests } = await find(
      { credential: 'b' },
      [ok({ error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' })],
      3,
    );
    expect(requests).toHaveLength(1);
    expect(ports).toEqual(['error']);
    expect(output).toMatchObject({
      reason: 'bitrix24_error',
      status: 200,
      message: 'crm.contact.list.json: INVALID_CREDENTIALS: Invalid request credentials',
    });
  });

  it('retries Bitrix24’s 503 (too many requests) while tries are left', async () => {
    const { ports, requests } = await find(
      { credential: 'b' },
      [failed('http_status', 503, { error: 'QUERY_LIMIT_EXCEEDED' }), ok({ result: [LUIS] })],
      2,
    );
    expect([ports, requests.length]).toEqual([['found'], 2]);
  });
});
