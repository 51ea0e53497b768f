import type { NodeServices } from '@switchboard/engine';
import { describe, expect, it } from 'vitest';
import { failed, fakeHttp, fakeRouting, ok, team } from '../../test/fake-services.js';
import { inboundEvent, runFlow } from '../../test/harness.js';

const TEAMS = [team('billing', 'Facturación', { slackCredential: 'slack-billing' }), team('sales', 'Ventas')];

async function notify(params: object, text = 'tengo un problema con mi factura', answer = ok('ok')) {
  const http = fakeHttp(answer);
  const routing = fakeRouting(TEAMS);
  const run = await runFlow(
    [{ id: 'slack', type: 'notify.slack', params }],
    ['start->slack'],
    inboundEvent('34600000001', { type: 'text', text }),
    {
      services: { ...http.services, ...routing.services } as NodeServices,
      trigger: 'trigger.whatsappMessage',
    },
  );
  const step = run.steps.find((s) => s.nodeId === 'slack');
  return { port: run.portsOf('slack')[0], output: step?.output, requests: http.requests };
}

describe('notify.slack', () => {
  it('posts the contact’s name, number and message to the credential’s webhook, with a link', async () => {
    const { port, output, requests } = await notify({
      credential: 'slack-ops',
      link: 'https://inbox.example.com/c/{{ trigger.waId }}',
      linkLabel: 'Ver conversación',
    });
    expect(port).toBe('out');
    const text = '*Cliente* (+34600000001): tengo un problema con mi factura';
    expect(requests).toEqual([
      {
        method: 'POST',
        url: '',
        credential: 'slack-ops',
        credentialTypes: ['slack'],
        body: {
          text,
          blocks: [
            { type: 'section', text: { type: 'mrkdwn', text } },
            {
              type: 'context',
              elements: [
                { type: 'mrkdwn', text: '<https://inbox.example.com/c/34600000001|Ver conversación>' },
              ],
            },
          ],
        },
        timeoutMs: 10_000,
        hasSignal: true,
      },
    ]);
    expect(output).toEqual({ credential: 'slack-ops', status: 200 });
  });

  it('posts with the team’s own Slack credential, and names a team that has none', async () => {
    const billing = await notify({ team: 'Facturación', text: 'Nueva conversación urgente' });
    expect(billing.requests[0]).toMatchObject({
      credential: 'slack-billing',
      body: { text: 'Nueva conversación urgente' },
    });
    const sales = await notify({ team: 'sales' });
    expect(sales.port).toBe('error');
    expect(sales.output).toMatchObject({
      reason: 'no_slack_credential',
      message: 'team "Ventas" has no Slack credential: set one for the team, or name one here',
    });
    expect(sales.requests).toEqual([]);
    const unknown = await notify({ team: 'soporte' });
    expect(unknown.output).toMatchObject({
      reason: 'unknown_team',
      message: 'team "soporte" does not exist',
    });
  });

  it('escapes what Slack would read as a mention or a link in the customer’s text', async () => {
    const { requests } = await notify({ credential: 'slack-ops' }, '<!channel> ayuda & <https://x.io|aquí>');
    expect(requests[0]?.body).toMatchObject({
      text: '*Cliente* (+34600000001): &lt;!channel&gt; ayuda &amp; &lt;https://x.io|aquí&gt;',
    });
  });

  it('reports a failed post on error', async () => {
    const { port, output } = await notify(
      { credential: 'slack-ops' },
      'hola',
      failed('http_status', 404, 'no_service'),
    );
    expect(port).toBe('error');
    expect(output).toMatchObject({ reason: 'http_status', status: 404, body: 'no_service' });
  });

  it('posts to the team a route node chose, and says so when there is neither credential nor team', async () => {
    const http = fakeHttp(ok('ok'));
    const routing = fakeRouting(TEAMS);
    const run = await runFlow(
      [
        {
          id: 'route',
          type: 'routing.route',
          params: { rules: [{ kind: 'keyword', team: 'billing', keywords: ['factura'] }] },
        },
        { id: 'slack', type: 'notify.slack', params: {} },
      ],
      ['start->route', 'route->slack'],
      inboundEvent('34600000001', { type: 'text', text: 'mi factura' }),
      {
        services: { ...http.services, ...routing.services } as NodeServices,
        trigger: 'trigger.whatsappMessage',
      },
    );
    expect(run.portsOf('slack')).toEqual(['out']);
    expect(http.requests[0]?.credential).toBe('slack-billing');
    const alone = await notify({});
    expect(alone.output).toMatchObject({
      reason: 'missing_credential',
      message: 'no Slack credential or team: name one, or put a "Route to team" node before this one',
    });
  });
});
