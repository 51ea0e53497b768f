import type { Json } from '@switchboard/engine';
import { describe, expect, it } from 'vitest';
import { fakeRouting, team } from '../../test/fake-services.js';
import { inboundEvent, registry, runFlow } from '../../test/harness.js';
import type { AssignOutcome, AssignRequest } from '../routing-services.js';

const TEAMS = [team('billing', 'Facturación'), team('vip', 'Account managers')];
const KEYWORD_RULE = { kind: 'keyword', team: 'billing', keywords: ['factura', 'facturación'] };

const queued =
  (because: 'after_hours' | 'no_agent_available') =>
  (req: AssignRequest): AssignOutcome => ({
    ok: true,
    conversationId: 'conv_9',
    team: { id: 'billing', name: 'Facturación' },
    agent: null,
    state: 'queued',
    queuedBecause: because,
    priority: req.priority,
    slaDueAt: '2026-05-04T08:30:00.000Z',
    reused: true,
  });

/** Trigger → route → assign (unless `routed` is false: trigger → assign), for a customer's text. */
async function assign(
  text: string,
  params: object = {},
  options: { routed?: boolean; tier?: Json; outcome?: (req: AssignRequest) => AssignOutcome } = {},
) {
  const routing = fakeRouting(TEAMS, options.outcome);
  const routed = options.routed ?? true;
  const run = await runFlow(
    [
      ...(routed ? [{ id: 'route', type: 'routing.route', params: { rules: [KEYWORD_RULE] } }] : []),
      { id: 'assign', type: 'routing.assign', params },
    ],
    routed ? ['start->route', 'route->assign'] : ['start->assign'],
    inboundEvent('5215512345678', { type: 'text', text }, 'mx-support'),
    {
      services: routing.services,
      trigger: 'trigger.whatsappMessage',
      contactOf: (): Json => ({ attributes: options.tier !== undefined ? { tier: options.tier } : {} }),
    },
  );
  const step = run.steps.find((s) => s.nodeId === 'assign');
  return { run, port: run.portsOf('assign')[0], output: step?.output, request: routing.assigned[0] };
}

describe('routing.assign', () => {
  it('assigns the routed team’s conversation with the step’s idempotency key, contact and message', async () => {
    const { run, port, output, request } = await assign('Tengo un problema con mi factura');
    expect(port).toBe('assigned');
    expect(request).toEqual({
      idempotencyKey: `${run.runId}:assign`,
      runId: run.runId,
      flowId: 'harness',
      nodeId: 'assign',
      contact: { waId: '5215512345678', channel: 'mx-support', name: 'Cliente' },
      team: 'billing',
      strategy: 'roundRobin',
      skills: [],
      priority: 'normal',
      slaMinutes: null,
      escalation: null,
      summary: 'Tengo un problema con mi factura',
    });
    expect(output).toEqual({
      conversationId: 'conv_1',
      team: { id: 'billing', name: 'billing' },
      agent: { id: 'agent_ana', name: 'Ana' },
      priority: 'normal',
      slaDueAt: null,
      queuedBecause: null,
      reused: false,
    });
  });

  it('passes the strategy, skills, SLA and escalation it is given', async () => {
    const { request } = await assign('factura', {
      team: 'Account managers',
      strategy: 'leastOpen',
      skills: ['english'],
      slaMinutes: 15,
      escalateToTeam: 'billing',
      escalateToSlack: true,
      slackCredential: 'slack-supervisors',
    });
    expect(request).toMatchObject({
      team: 'Account managers',
      strategy: 'leastOpen',
      skills: ['english'],
      slaMinutes: 15,
      escalation: { team: 'billing', slack: true, slackCredential: 'slack-supervisors' },
    });
  });

  it('leaves through queued when no agent can take it, and afterHours when the team is closed', async () => {
    const waiting = await assign('factura', {}, { outcome: queued('no_agent_available') });
    expect(waiting.port).toBe('queued');
    expect(waiting.output).toMatchObject({
      agent: null,
      queuedBecause: 'no_agent_available',
      slaDueAt: '2026-05-04T08:30:00.000Z',
      reused: true,
    });
    const closed = await assign('factura', {}, { outcome: queued('after_hours') });
    expect(closed.port).toBe('afterHours');
    expect(closed.output).toMatchObject({ queuedBecause: 'after_hours' });
  });

  it('sets the priority from urgent words, then from a VIP tier, unless it is fixed', async () => {
    expect((await assign('¡URGENTE! mi factura está mal')).request?.priority).toBe('urgent');
    expect((await assign('mi factura', {}, { tier: 'VIP' })).request?.priority).toBe('high');
    expect((await assign('mi factura', {}, { tier: 'bronze' })).request?.priority).toBe('normal');
    expect(
      (await assign('mi factura', { vipValues: ['platino'] }, { tier: 'Platino' })).request?.priority,
    ).toBe('high');
    expect((await assign('URGENTE factura', { priority: 'low' })).request?.priority).toBe('low');
  });

  it('reports a missing or unknown team on error, naming it', async () => {
    const missing = await assign('hola', {}, { routed: false });
    expect(missing.port).toBe('error');
    expect(missing.output).toMatchObject({
      reason: 'missing_team',
      message: 'no team: set "team", or put a "Route to team" node before this one',
    });
    expect(missing.request).toBeUndefined();
    const unknown = await assign('hola', { team: 'soporte-tecnico' }, { routed: false });
    expect(unknown.port).toBe('error');
    expect(unknown.output).toMatchObject({ reason: 'unknown_team', message: 'no team "soporte-tecnico"' });
  });

  it('refuses escalation without an SLA, and an SLA over a week', () => {
    const params = registry.get('routing.assign')!.params;
    expect(params.safeParse({ escalateToTeam: 'billing' }).error?.issues[0]).toMatchObject({
      path: ['slaMinutes'],
      message: 'set slaMinutes: escalation happens when the SLA passes',
    });
    expect(params.safeParse({ slaMinutes: 10_081 }).error?.issues[0]?.message).toBe(
      'at most 7 days (10080 minutes)',
    );
  });
});
