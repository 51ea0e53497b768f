import { describe, expect, it } from 'vitest';
import {
  credentialChoices,
  matchTeam,
  matchTemplate,
  teamNameKey,
  teamSuggestions,
  templateSuggestions,
} from './pickers';

const stored = [
  { name: 'zendesk', type: 'httpBasic' },
  { name: 'billing-slack', type: 'slack' },
  { name: 'api-token', type: 'httpBearer' },
  { name: 'hubspot', type: 'hubspot' },
];

describe('credentialChoices', () => {
  it('lists only the accepted types, by name', () => {
    const { options, current } = credentialChoices(stored, ['httpBearer', 'httpBasic', 'httpHeader'], '');
    expect(options.map((o) => o.name)).toEqual(['api-token', 'zendesk']);
    expect(current).toBeNull();
  });

  it('lists every credential when the accepted types are unknown', () => {
    expect(credentialChoices(stored, null, '').options).toHaveLength(4);
  });

  it('has no extra entry when the value is one of the options', () => {
    expect(credentialChoices(stored, ['slack'], 'billing-slack').current).toBeNull();
  });

  it('keeps a value that is not stored here, marked not found', () => {
    const { options, current } = credentialChoices(stored, ['hubspot'], 'hubspot-from-prod');
    expect(current).toEqual({ name: 'hubspot-from-prod', state: 'notFound' });
    expect(options.map((o) => o.name)).toEqual(['hubspot']);
  });

  it('keeps a stored credential of another type, marked with its type', () => {
    expect(credentialChoices(stored, ['hubspot'], 'billing-slack').current).toEqual({
      name: 'billing-slack',
      type: 'slack',
      state: 'wrongType',
    });
  });

  it('keeps the value unmarked while the list is not loaded, and a {{ }} template as it is', () => {
    expect(credentialChoices(null, ['slack'], 'billing-slack')).toEqual({
      options: [],
      current: { name: 'billing-slack', state: 'unchecked' },
    });
    expect(credentialChoices(stored, ['slack'], '{{ vars.cred }}').current).toEqual({
      name: '{{ vars.cred }}',
      state: 'variable',
    });
  });
});

describe('matchTeam', () => {
  const teams = [
    { id: 'billing', name: 'Facturación', openNow: true },
    { id: 'support', name: 'Soporte', openNow: false },
  ];

  it('finds a team by id, else by name as the server does (accents and case ignored)', () => {
    expect(matchTeam(teams, 'billing')).toEqual({ state: 'id', team: teams[0] });
    expect(matchTeam(teams, ' facturacion ')).toEqual({ state: 'name', team: teams[0] });
    expect(matchTeam(teams, 'SOPORTE')).toEqual({ state: 'name', team: teams[1] });
  });

  it('says when a value names no team here, without changing it', () => {
    expect(matchTeam(teams, 'ventas')).toEqual({ state: 'notFound' });
  });

  it('does not judge an empty value, a template, or before the list is loaded', () => {
    expect(matchTeam(teams, '')).toEqual({ state: 'empty' });
    expect(matchTeam(teams, '{{ input.team.id }}')).toEqual({ state: 'variable' });
    expect(matchTeam(null, 'billing')).toEqual({ state: 'unchecked' });
  });

  it('suggests ids labelled with names, sorted by name', () => {
    expect(teamSuggestions(teams)).toEqual([
      { value: 'billing', label: 'Facturación' },
      { value: 'support', label: 'Soporte' },
    ]);
    expect(teamSuggestions(null)).toEqual([]);
  });

  it('keys names like the server', () => {
    expect(teamNameKey('  Facturación ')).toBe('facturacion');
  });
});

describe('matchTemplate', () => {
  const list = [
    {
      name: 'order_update',
      language: 'es_MX',
      category: 'UTILITY',
      status: 'APPROVED',
      parameters: { body: ['1'] },
    },
    { name: 'promo', language: 'es', category: 'MARKETING', status: 'PAUSED', parameters: { body: [] } },
  ];
  it('says what the server will say of the send', () => {
    expect(matchTemplate(list, 'order_update', 'es_MX', 1)).toMatchObject({ state: 'ok' });
    expect(matchTemplate(list, 'order_update', 'es_MX', 2)).toMatchObject({ state: 'params', given: 2 });
    expect(matchTemplate(list, 'order_update', 'en_US', 1)).toEqual({
      state: 'language',
      languages: ['es_MX'],
    });
    expect(matchTemplate(list, 'promo', 'es', 0)).toMatchObject({ state: 'notApproved' });
    expect(matchTemplate(list, 'nope', 'es', 0)).toEqual({ state: 'notFound' });
    expect(matchTemplate(list, 'order_update', '{{ vars.lang }}', 1)).toEqual({ state: 'variable' });
    expect(matchTemplate(null, 'order_update', 'es_MX', 1)).toEqual({ state: 'unchecked' });
    expect(templateSuggestions(list)).toEqual([{ value: 'order_update', label: 'order_update (es_MX)' }]);
  });
});
