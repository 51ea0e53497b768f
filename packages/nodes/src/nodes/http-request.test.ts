import type { Json, NodeServices } from '@switchboard/engine';
import { describe, expect, it } from 'vitest';
import { failed, fakeHttp, ok, retryAtOnce } from '../../test/fake-services.js';
import { inboundEvent, runFlow } from '../../test/harness.js';
import type { HttpOutcome } from '../routing-services.js';

/** Trigger → http → log of two variables, so a test can see what the node saved. */
async function call(
  params: object,
  services: NodeServices,
  options: { maxTries?: number; text?: string } = {},
) {
  const http = {
    id: 'http',
    type: 'http.request',
    params,
    ...(options.maxTries ? { retry: retryAtOnce(options.maxTries) } : {}),
  };
  const run = await runFlow(
    [
      http,
      {
        id: 'log',
        type: 'action.log',
        params: { message: 'id={{ vars.orderId }} status={{ vars.order.status }}' },
      },
    ],
    ['start->http', 'http->log', 'http.error->log'],
    inboundEvent('34600000001', { type: 'text', text: options.text ?? 'hola' }),
    { services, trigger: 'trigger.whatsappMessage' },
  );
  const steps = run.steps.filter((s) => s.nodeId === 'http');
  return {
    run,
    ports: run.portsOf('http'),
    output: steps.at(-1)?.output as Record<string, Json>,
    tries: steps.length,
    logged: run.logger.lines.find((l) => l.msg?.startsWith('flow log:'))?.msg,
  };
}

describe('http.request', () => {
  it('sends the method, URL, query, headers and JSON body (filled in, then parsed) with the credential', async () => {
    const http = fakeHttp(ok({ results: [{ id: 'A-17' }] }, 201));
    const { output, logged } = await call(
      {
        method: 'POST',
        url: 'https://api.example.com/orders',
        query: { source: 'whatsapp', page: 2 },
        headers: { 'X-Shop': 'madrid' },
        body: '{"phone": "{{ trigger.waId }}", "count": 1}',
        credential: 'shop-api',
        timeoutMs: 5000,
        saveAs: 'order',
        map: [{ variable: 'orderId', path: 'results[0].id' }],
      },
      http.services,
    );
    expect(http.requests).toEqual([
      {
        method: 'POST',
        url: 'https://api.example.com/orders',
        query: { source: 'whatsapp', page: '2' },
        headers: { 'X-Shop': 'madrid' },
        body: { phone: '34600000001', count: 1 },
        credential: 'shop-api',
        credentialTypes: ['httpBearer', 'httpBasic', 'httpHeader'],
        timeoutMs: 5000,
        hasSignal: true,
      },
    ]);
    expect(output).toEqual({ status: 201, headers: {}, body: { results: [{ id: 'A-17' }] } });
    expect(logged).toBe('flow log: id=A-17 status=201');
  });

  it('sends a body written as JSON with each value filled in, so quotes in a message cannot break it', async () => {
    const http = fakeHttp(ok(null));
    await call(
      { method: 'POST', url: 'https://api.example.com/notes', body: { text: '{{ trigger.message.text }}' } },
      http.services,
      { text: 'dice "hola"' },
    );
    expect(http.requests[0]).toMatchObject({ body: { text: 'dice "hola"' }, credential: null });
    expect(http.requests[0]).not.toHaveProperty('credentialTypes');
  });

  it('reports a body that is not JSON once filled in on error, naming the param, without calling', async () => {
    const http = fakeHttp(ok(null));
    const { ports, output } = await call(
      { method: 'POST', url: 'https://api.example.com', body: '{"text": "{{ trigger.message.text }}"}' },
      http.services,
      { text: 'dice "hola"' },
    );
    expect(ports).toEqual(['error']);
    expect(output).toMatchObject({ reason: 'invalid_body' });
    expect(String(output.message)).toMatch(/^body: not valid JSON/);
    expect(http.requests).toEqual([]);
  });

  it('retries a 503 or a timeout while the retry policy has tries left', async () => {
    const http = fakeHttp(failed('http_status', 503), failed('timeout'), ok({ done: true }));
    const { ports, tries, output } = await call({ url: 'https://api.example.com' }, http.services, {
      maxTries: 3,
    });
    expect(tries).toBe(3);
    expect(ports).toEqual(['out']);
    expect(output).toMatchObject({ body: { done: true } });
  });

  it('reports on error once the last try fails too, with the status and body', async () => {
    const http = fakeHttp(failed('http_status', 429, { message: 'slow down' }));
    const { run, ports, tries, output } = await call({ url: 'https://api.example.com/x' }, http.services, {
      maxTries: 2,
    });
    expect(tries).toBe(2);
    expect(run.steps.filter((s) => s.nodeId === 'http').map((s) => s.status)).toEqual([
      'failed',
      'succeeded',
    ]);
    expect(ports).toEqual(['error']);
    expect(output).toEqual({
      reason: 'http_status',
      status: 429,
      message: 'GET https://api.example.com/x: HTTP 429',
      body: { message: 'slow down' },
    });
  });

  it('does not retry a 4xx, a refused address or a bad credential', async () => {
    for (const outcome of [
      failed('http_status', 404),
      failed('refused'),
      failed('credential'),
    ] satisfies HttpOutcome[]) {
      const http = fakeHttp(outcome);
      const { ports, tries } = await call({ url: 'https://api.example.com' }, http.services, { maxTries: 3 });
      expect([ports, tries]).toEqual([['error'], 1]);
    }
  });

  it('fails the step, without retrying, on a host with no HTTP service', async () => {
    const { run, tries } = await call({ url: 'https://api.example.com' }, {}, { maxTries: 3 });
    expect(tries).toBe(1);
    expect(run.status).toBe('failed');
    expect(run.steps.find((s) => s.nodeId === 'http')?.error).toMatchObject({
      retryable: false,
      message: expect.stringContaining('no HTTP service'),
    });
  });
});
