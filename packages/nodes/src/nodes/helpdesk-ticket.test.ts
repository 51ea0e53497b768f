import { describe, expect, it } from 'vitest';
import { failed, fakeHttp, ok } from '../../test/fake-services.js';
import { inboundEvent, runFlow } from '../../test/harness.js';
import type { HttpOutcome } from '../routing-services.js';

async function ticket(params: object, answer: HttpOutcome) {
  const http = fakeHttp(answer);
  const run = await runFlow(
    [{ id: 'ticket', type: 'helpdesk.createTicket', params }],
    ['start->ticket'],
    inboundEvent('5215512345678', { type: 'text', text: 'No funciona mi router desde ayer' }),
    { services: http.services, trigger: 'trigger.whatsappMessage' },
  );
  const step = run.steps.find((s) => s.nodeId === 'ticket');
  return { port: run.portsOf('ticket')[0], output: step?.output, requests: http.requests };
}

describe('helpdesk.createTicket', () => {
  it('opens a Zendesk ticket with the message, the priority and the contact as requester', async () => {
    const { port, output, requests } = await ticket(
      { provider: 'zendesk', credential: 'zendesk-acme', subject: 'WhatsApp: router', priority: 'urgent' },
      ok({ ticket: { id: 35436, subject: 'WhatsApp: router' } }, 201),
    );
    expect(requests).toEqual([
      {
        method: 'POST',
        url: '/api/v2/tickets.json',
        credential: 'zendesk-acme',
        credentialTypes: ['httpBasic'],
        body: {
          ticket: {
            subject: 'WhatsApp: router',
            comment: { body: 'No funciona mi router desde ayer\n\nWhatsApp: +5215512345678' },
            priority: 'urgent',
            requester: { name: 'Cliente' },
          },
        },
        timeoutMs: 10_000,
        hasSignal: true,
      },
    ]);
    expect([port, output]).toEqual(['out', { ticketId: '35436', provider: 'zendesk' }]);
  });

  it('opens a Freshdesk ticket with its numbered priority, open status and the requester’s phone', async () => {
    const { output, requests } = await ticket(
      {
        provider: 'freshdesk',
        credential: 'freshdesk-acme',
        subject: 'Router',
        description: 'Cliente {{ trigger.profileName }}: {{ trigger.message.text }}',
        priority: 'high',
      },
      ok({ id: 1, status: 2 }, 201),
    );
    expect(requests[0]).toMatchObject({
      url: '/api/v2/tickets',
      credential: 'freshdesk-acme',
      credentialTypes: ['httpBasic'],
      body: {
        subject: 'Router',
        description: 'Cliente Cliente: No funciona mi router desde ayer',
        name: 'Cliente',
        phone: '+5215512345678',
        priority: 3,
        status: 2,
      },
    });
    expect(output).toEqual({ ticketId: '1', provider: 'freshdesk' });
  });

  it('reports a refusal, or an answer without a ticket id, on error', async () => {
    const refused = await ticket(
      { provider: 'zendesk', credential: 'zendesk-acme', subject: 'x' },
      failed('http_status', 422, { error: 'RecordInvalid' }),
    );
    expect(refused.port).toBe('error');
    expect(refused.output).toMatchObject({
      reason: 'http_status',
      status: 422,
      body: { error: 'RecordInvalid' },
    });
    const odd = await ticket(
      { provider: 'freshdesk', credential: 'fd', subject: 'x' },
      ok({ nothing: true }),
    );
    expect(odd.output).toMatchObject({
      reason: 'unexpected_response',
      message: 'freshdesk answered without a ticket id',
    });
  });
});
