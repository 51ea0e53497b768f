import type { Json } from '@switchboard/engine';
import { describe, expect, it } from 'vitest';
import { fakeRouting, team } from '../../test/fake-services.js';
import { inboundEvent, registry, runFlow } from '../../test/harness.js';

const TEAMS = [
  team('billing', 'Facturación'),
  team('sales', 'Ventas'),
  team('accounts', 'Account managers'),
  team('daytime', 'Soporte de día'),
  team('night', 'Guardia nocturna'),
];

const RULES = [
  { kind: 'button', team: 'sales', ids: ['hablar_ventas'] },
  {
    kind: 'value',
    team: 'Account managers',
    value: '{{ contact.attributes.tier }}',
    equals: ['vip', 'gold'],
  },
  { kind: 'keyword', team: 'billing', keywords: ['factura', 'facturación', 'invoice'] },
];

async function route(
  message: Record<string, unknown>,
  params: object = { rules: RULES },
  options: { contact?: Json; at?: string } = {},
) {
  const routing = fakeRouting(TEAMS);
  const run = await runFlow(
    [{ id: 'route', type: 'routing.route', params }],
    ['start->route'],
    inboundEvent('5215512345678', message),
    {
      services: routing.services,
      trigger: 'trigger.whatsappMessage',
      contactOf: () => options.contact ?? { attributes: {} },
      ...(options.at ? { at: options.at } : {}),
    },
  );
  const step = run.steps.find((s) => s.nodeId === 'route');
  return { port: run.portsOf('route')[0], output: step?.output as Record<string, unknown>, routing };
}

describe('routing.route', () => {
  it('routes "tengo un problema con mi facturación" to billing by keyword, keeping the message', async () => {
    const { port, output, routing } = await route({
      type: 'text',
      text: 'Hola, tengo un problema con mi facturación',
    });
    expect(port).toBe('out');
    expect(output).toMatchObject({
      team: { id: 'billing', name: 'Facturación' },
      rule: 2,
      reason: 'keyword "facturación"',
      waId: '5215512345678',
      message: { type: 'text', text: 'Hola, tengo un problema con mi facturación' },
    });
    expect(routing.teamCalls).toEqual(['billing']);
  });

  it('matches part of a word only in "contains" mode', async () => {
    const rules = [{ kind: 'keyword', team: 'billing', keywords: ['factura'] }];
    const text = { type: 'text', text: 'tengo un problema con mi FACTURACION' };
    expect((await route(text, { rules })).port).toBe('noMatch');
    expect((await route(text, { rules: [{ ...rules[0], match: 'contains' }] })).port).toBe('out');
  });

  it('sends a button reply to the team its id names', async () => {
    const { output } = await route({ type: 'button_reply', id: 'hablar_ventas', title: 'Hablar con ventas' });
    expect(output).toMatchObject({ team: { id: 'sales' }, rule: 0, reason: 'button "hablar_ventas"' });
  });

  it('sends a VIP tier (from the contact’s CRM data) to account managers, ignoring case', async () => {
    const { output } = await route(
      { type: 'text', text: 'necesito una factura' },
      { rules: RULES },
      { contact: { attributes: { tier: 'VIP' } } },
    );
    // The value rule comes before the keyword rule: the first match wins.
    expect(output).toMatchObject({ team: { id: 'accounts', name: 'Account managers' }, rule: 1 });
  });

  it('routes by the time of day in America/Mexico_City', async () => {
    const rules = [
      {
        kind: 'time',
        team: 'daytime',
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        from: '09:00',
        to: '18:00',
        timezone: 'America/Mexico_City',
      },
    ];
    const params = { rules, fallbackTeam: 'night' };
    const hola = { type: 'text', text: 'hola' };
    // Monday 2026-05-04 15:30 UTC is 09:30 in Mexico City (UTC-6, no daylight saving time).
    expect((await route(hola, params, { at: '2026-05-04T15:30:00Z' })).output).toMatchObject({
      team: { id: 'daytime' },
      reason: 'time 09:00–18:00',
    });
    // 14:30 UTC is 08:30 there: before opening, so the fallback team.
    expect((await route(hola, params, { at: '2026-05-04T14:30:00Z' })).output).toMatchObject({
      team: { id: 'night' },
      rule: null,
      reason: 'fallback',
    });
    // Saturday 2026-05-09 at 10:00 there is not a listed day.
    expect((await route(hola, params, { at: '2026-05-09T16:00:00Z' })).output).toMatchObject({
      team: { id: 'night' },
    });
  });

  it('leaves through noMatch with its input when nothing matches and there is no fallback', async () => {
    const { port, output, routing } = await route({ type: 'text', text: '¿A qué hora abren?' });
    expect(port).toBe('noMatch');
    expect(output).toMatchObject({ message: { text: '¿A qué hora abren?' } });
    expect(routing.teamCalls).toEqual([]);
  });

  it('reports a team that does not exist on error, naming the team and the rule', async () => {
    const rules = [{ kind: 'keyword', team: 'facturacion-typo', keywords: ['factura'] }];
    const { port, output } = await route({ type: 'text', text: 'mi factura' }, { rules });
    expect(port).toBe('error');
    expect(output).toMatchObject({
      reason: 'unknown_team',
      message: 'rule 1 (keyword) names team "facturacion-typo", which does not exist',
    });
  });

  it('says which field a rule of each kind is missing', () => {
    const params = registry.get('routing.route')!.params;
    const problems = (rules: object[]) =>
      params.safeParse({ rules }).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(problems([{ kind: 'keyword', team: 'billing' }])).toEqual([
      ['rules.0.keywords', 'add at least one keyword'],
    ]);
    expect(problems([{ kind: 'time', team: 'night', from: '22:00', to: '06:00' }])).toEqual([
      ['rules.0.to', '"to" must be after "from" (split overnight hours in two rules)'],
    ]);
    expect(
      problems([{ kind: 'value', team: 'x', value: '{{ contact.attributes.tier }}', equals: ['vip'] }]),
    ).toBe(undefined);
  });
});
