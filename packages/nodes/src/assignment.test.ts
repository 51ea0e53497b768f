import { describe, expect, it } from 'vitest';
import { type AgentLoad, isTeamOpen, nextOpening, pickAgent, priorityRank } from './assignment.js';
import type { TeamView } from './routing-services.js';

const madrid = {
  timezone: 'Europe/Madrid',
  // A split shift: 09:00–14:00 and 16:00–19:00 on weekdays, mornings on Saturday.
  businessHours: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '14:00' },
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '16:00', to: '19:00' },
    { days: ['sat'], from: '10:00', to: '13:00' },
  ] as TeamView['businessHours'],
  holidays: ['2026-05-01'],
};
const mexico = {
  timezone: 'America/Mexico_City',
  businessHours: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '17:00' },
  ] as TeamView['businessHours'],
  holidays: [],
};

describe('isTeamOpen', () => {
  it('follows the split shift, the weekend and holidays in the team’s zone', () => {
    // Tuesday 2026-05-05; Madrid is UTC+2 in May.
    expect(isTeamOpen(madrid, new Date('2026-05-05T06:59:00Z'))).toBe(false); // 08:59
    expect(isTeamOpen(madrid, new Date('2026-05-05T07:00:00Z'))).toBe(true); // 09:00
    expect(isTeamOpen(madrid, new Date('2026-05-05T12:00:00Z'))).toBe(false); // 14:00, lunch
    expect(isTeamOpen(madrid, new Date('2026-05-05T14:30:00Z'))).toBe(true); // 16:30
    expect(isTeamOpen(madrid, new Date('2026-05-09T09:00:00Z'))).toBe(true); // Saturday 11:00
    expect(isTeamOpen(madrid, new Date('2026-05-10T09:00:00Z'))).toBe(false); // Sunday
    expect(isTeamOpen(madrid, new Date('2026-05-01T08:00:00Z'))).toBe(false); // Friday, a holiday
  });

  it('is always open without business hours, holidays or not', () => {
    expect(isTeamOpen({ timezone: 'UTC', businessHours: null, holidays: [] }, new Date())).toBe(true);
  });

  it('uses the zone’s own offset: 08:00 in Mexico City is 14:00 UTC', () => {
    expect(isTeamOpen(mexico, new Date('2026-05-05T13:59:00Z'))).toBe(false);
    expect(isTeamOpen(mexico, new Date('2026-05-05T14:00:00Z'))).toBe(true);
    expect(isTeamOpen(mexico, new Date('2026-05-05T23:00:00Z'))).toBe(false); // 17:00
  });
});

describe('nextOpening', () => {
  it('is the same instant while open', () => {
    const at = new Date('2026-05-05T07:30:15Z');
    expect(nextOpening(madrid, at)).toEqual(at);
  });

  it('finds the afternoon shift, the next morning, Saturday and the day after a holiday', () => {
    expect(nextOpening(madrid, new Date('2026-05-05T12:10:00Z'))?.toISOString()).toBe(
      '2026-05-05T14:00:00.000Z',
    );
    expect(nextOpening(madrid, new Date('2026-05-05T20:00:00Z'))?.toISOString()).toBe(
      '2026-05-06T07:00:00.000Z',
    );
    expect(nextOpening(madrid, new Date('2026-05-08T18:00:00Z'))?.toISOString()).toBe(
      '2026-05-09T08:00:00.000Z',
    );
    // Thursday night before the 1 May holiday: closed until Saturday 10:00.
    expect(nextOpening(madrid, new Date('2026-04-30T18:00:00Z'))?.toISOString()).toBe(
      '2026-05-02T08:00:00.000Z',
    );
  });

  it('lands on local opening time across daylight-saving changes', () => {
    // Madrid moves to summer time on Sunday 2026-03-29: Monday 09:00 is 07:00 UTC (08:00 UTC the Friday before).
    expect(nextOpening(madrid, new Date('2026-03-28T13:00:00Z'))?.toISOString()).toBe(
      '2026-03-30T07:00:00.000Z',
    );
    // Back to winter time on Sunday 2026-10-25: Monday 09:00 is 08:00 UTC.
    expect(nextOpening(madrid, new Date('2026-10-24T13:00:00Z'))?.toISOString()).toBe(
      '2026-10-26T08:00:00.000Z',
    );
    // The change falls between the night and the opening on the same day: Sunday 09:00 CEST, not 10:00.
    const sundays = {
      ...madrid,
      businessHours: [{ days: ['sun'], from: '09:00', to: '12:00' }],
    } as typeof madrid;
    expect(nextOpening(sundays, new Date('2026-03-28T23:30:00Z'))?.toISOString()).toBe(
      '2026-03-29T07:00:00.000Z',
    );
    expect(nextOpening(sundays, new Date('2026-10-24T22:30:00Z'))?.toISOString()).toBe(
      '2026-10-25T08:00:00.000Z',
    );
  });

  it('returns null for a team that never opens within the horizon', () => {
    const never = { timezone: 'UTC', businessHours: [], holidays: [] };
    expect(nextOpening(never, new Date('2026-05-05T00:00:00Z'), 30)).toBeNull();
  });
});

const agent = (id: string, over: Partial<AgentLoad> = {}): AgentLoad => ({
  id,
  name: id.toUpperCase(),
  skills: [],
  capacity: 5,
  available: true,
  open: 0,
  ...over,
});

describe('pickAgent', () => {
  it('round robin goes to the next agent by id after the last one, wrapping round', () => {
    const agents = [agent('carla'), agent('ana'), agent('bea')];
    const pick = (last: string | null) =>
      pickAgent({ agents, strategy: 'roundRobin', skills: [], lastAgentId: last })?.id;
    expect(pick(null)).toBe('ana');
    expect(pick('ana')).toBe('bea');
    expect(pick('bea')).toBe('carla');
    expect(pick('carla')).toBe('ana');
    // The last agent may have left the team since: the next id after theirs still follows.
    expect(pick('bruno')).toBe('carla');
  });

  it('never picks an unavailable agent, one at capacity, or one without every skill', () => {
    const agents = [
      agent('ana', { available: false }),
      agent('bea', { open: 2, capacity: 2 }),
      agent('carla', { skills: ['Billing'] }),
      agent('dani', { skills: ['billing', 'ENGLISH'] }),
    ];
    const pick = (skills: string[]) =>
      pickAgent({ agents, strategy: 'roundRobin', skills, lastAgentId: null })?.id ?? null;
    expect(pick([])).toBe('carla');
    expect(pick(['billing', 'english'])).toBe('dani');
    expect(pick(['french'])).toBeNull();
    expect(
      pickAgent({ agents: agents.slice(0, 2), strategy: 'leastOpen', skills: [], lastAgentId: null }),
    ).toBeNull();
  });

  it('least open picks the agent with the fewest conversations, ties in round-robin order', () => {
    const agents = [agent('ana', { open: 3 }), agent('bea', { open: 1 }), agent('carla', { open: 1 })];
    const pick = (last: string | null) =>
      pickAgent({ agents, strategy: 'leastOpen', skills: [], lastAgentId: last })?.id;
    expect(pick(null)).toBe('bea');
    expect(pick('bea')).toBe('carla');
    expect(pick('carla')).toBe('bea');
  });

  it('spreads conversations evenly by either strategy', () => {
    for (const strategy of ['roundRobin', 'leastOpen'] as const) {
      const agents = [
        agent('a', { capacity: 100 }),
        agent('b', { capacity: 100 }),
        agent('c', { capacity: 100 }),
      ];
      let last: string | null = null;
      for (let i = 0; i < 100; i++) {
        const picked: AgentLoad = pickAgent({ agents, strategy, skills: [], lastAgentId: last })!;
        picked.open++;
        last = picked.id;
      }
      const loads = agents.map((a) => a.open);
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    }
  });
});

describe('priorityRank', () => {
  it('orders urgent, high, normal, low', () => {
    const sorted = (['normal', 'urgent', 'low', 'high'] as const)
      .slice()
      .sort((a, b) => priorityRank(b) - priorityRank(a));
    expect(sorted).toEqual(['urgent', 'high', 'normal', 'low']);
  });
});
