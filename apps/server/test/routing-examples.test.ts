import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXAMPLES_DIR, seedExamples, seedExampleTeams } from '../src/examples.js';
import { createLogger } from '../src/logger.js';
import { exampleDriver } from './example-helpers.js';
import { type FakeHubSpot, startFakeHubSpot } from './fakes/fake-hubspot.js';
import { type FakeSlack, startFakeSlack } from './fakes/fake-slack.js';
import { eventually, type Loose, startWhatsAppServer } from './wa-helpers.js';

// The routing examples (workflows/support-routing and vip-routing) in a real server in sandbox mode, as
// a fresh install has them: seeded flows and teams, credentials stored through /api/credentials (fake
// HubSpot and fake Slack), agents added through /api/agents, customers writing through the signed
// ingress. The teams are opened round the clock (the test runs at any hour), except where a test closes
// one. The 5-minute SLA passes by calling the routing service's escalation step with a later time: the
// server's clock is the real one.

const workflows = new URL('../../../workflows/', import.meta.url);
const read = (file: string) => JSON.parse(readFileSync(new URL(file, workflows), 'utf8'));
const exampleTeams = read('example-teams.json') as { teams: Loose[]; agents: Loose[] };
const textOf = (flowFile: string, nodeId: string): string =>
  read(flowFile).nodes.find((n: Loose) => n.id === nodeId).params.text;

const ISABEL = '34622000001'; // VIP in HubSpot
const JORGE = '34622000002'; // in HubSpot, not VIP
const LAURA = '34622000099'; // not in HubSpot

let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
let d: ReturnType<typeof exampleDriver>;
let hubspot: FakeHubSpot;
let slack: FakeSlack;

beforeAll(async () => {
  [hubspot, slack] = await Promise.all([
    startFakeHubSpot({
      contacts: [
        { firstname: 'Isabel', lastname: 'Fernández', phone: `+${ISABEL}`, tier: 'vip' },
        { firstname: 'Jorge', lastname: 'Sanz', phone: `+${JORGE}`, tier: 'standard' },
      ],
    }),
    startFakeSlack(),
  ]);
  // A first start with the examples seeded, as a fresh install.
  s = await startWhatsAppServer({ SWITCHBOARD_SEED_EXAMPLES: 'true' });
  d = exampleDriver(s);
});
afterAll(async () => {
  await s?.close();
  if (s) rmSync(s.dataDir, { recursive: true, force: true });
  await Promise.all([hubspot?.close(), slack?.close()]);
});

/** Activates one example for a block (both start on any text message). */
function active(flowId: string) {
  beforeAll(() => d.setActive(flowId, true));
  afterAll(() => d.setActive(flowId, false));
}

const teamFields = (t: Loose) => ({
  id: t.id,
  name: t.name,
  timezone: t.timezone,
  businessHours: t.businessHours,
  holidays: t.holidays,
  slackCredential: t.slackCredential,
  escalationTeam: t.escalationTeam,
});

/** The contact's conversations as `GET /api/conversations` lists them. */
const conversations = async (waId: string) =>
  (await s.api(`/api/conversations?waId=${waId}`)).body.items as Loose[];
const summary = (c: Loose) => ({ team: c.teamId, agent: c.agentId, state: c.state, priority: c.priority });

/** The texts (and button bodies) the fake Cloud API received for this number, once there are `count`. */
const sentTexts = (waId: string, count: number) =>
  eventually(async () => {
    const sends = await d.sandboxSends(waId);
    return sends.length >= count
      ? sends.map((m: Loose) => m.text?.body ?? m.interactive?.body?.text)
      : undefined;
  });

/** A customer writes; returns the run of `flowId` they started, once it has ended. */
async function customerRun(flowId: string, waId: string, name: string, text: string) {
  const before = await d.runs(flowId);
  await d.customer(waId, { name, text });
  const run = await d.newRun(flowId, before);
  return d.until(run.id, 'succeeded');
}

/** YYYY-MM-DD in a time zone. */
const localDate = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    at,
  );

describe('a first start seeds the routing examples', () => {
  it('imports the flows (inactive) and creates the example teams as written, with no agents', async () => {
    const flows = (await s.api('/api/flows')).body.items as Loose[];
    for (const id of ['support-routing', 'vip-routing'])
      expect(flows.find((f) => f.id === id)).toMatchObject({ id, active: false });
    const teams = (await s.api('/api/teams')).body.items as Loose[];
    const byId = (a: Loose, b: Loose) => (a.id < b.id ? -1 : 1);
    expect(teams.map(teamFields)).toEqual([...exampleTeams.teams].sort(byId));
    expect((await s.api('/api/agents')).body.items).toEqual([]);
  });

  it('stores the credentials, adds the example agents and opens the teams round the clock', async () => {
    const credentials = [
      { name: 'hubspot', type: 'hubspot', data: { accessToken: hubspot.token, baseUrl: hubspot.url } },
      { name: 'slack', type: 'slack', data: { webhookUrl: slack.webhookUrl } },
    ];
    for (const json of credentials)
      expect((await s.api('/api/credentials', { method: 'POST', json })).status).toBe(201);
    for (const json of exampleTeams.agents) {
      const r = await s.api('/api/agents', { method: 'POST', json });
      expect([json.id, r.status]).toEqual([json.id, 201]);
    }
    for (const team of exampleTeams.teams) {
      const r = await s.api(`/api/teams/${team.id}`, {
        method: 'PATCH',
        json: { businessHours: null, holidays: [] },
      });
      expect([team.id, r.status, r.body.openNow]).toEqual([team.id, 200, true]);
    }
  });

  it('seeding again (the next start) changes nothing: no flow, no team, the user’s changes kept', async () => {
    const before = (await s.api('/api/teams')).body.items;
    const logger = createLogger('silent');
    expect(await seedExamples(s.rt.flows, DEFAULT_EXAMPLES_DIR, logger, s.rt.routing.teams)).toBe(0);
    // Even called directly, teams that exist (by id or name) are left alone.
    expect(
      await seedExampleTeams(s.rt.routing.teams, DEFAULT_EXAMPLES_DIR, logger, new Date().toISOString()),
    ).toEqual([]);
    const after = (await s.api('/api/teams')).body.items as Loose[];
    expect(after).toEqual(before);
    expect(after.every((t) => t.businessHours === null)).toBe(true);
  });
});

describe('support-routing', () => {
  active('support-routing');
  const FLOW = 'support-routing.workflow.json';

  it('“tengo un problema con mi facturación” reaches Billing, assigned to a billing agent', async () => {
    const waId = '34610000201';
    const run = await customerRun(
      'support-routing',
      waId,
      'Ana',
      'Hola, tengo un problema con mi facturación',
    );
    expect(d.path(run)).toEqual(['incoming', 'route-by-words', 'assign', 'assigned-reply']);
    expect((await conversations(waId)).map(summary)).toEqual([
      { team: 'billing', agent: 'carmen', state: 'assigned', priority: 'normal' },
    ]);
    expect(await sentTexts(waId, 1)).toEqual([
      'Te atiende Carmen López (Facturación); te escribe en unos minutos. / Carmen López (Facturación) will write to you in a few minutes.',
    ]);
  });

  it('no keyword: three buttons; a tap on Soporte reaches Support', async () => {
    const waId = '34610000202';
    const before = await d.runs('support-routing');
    await d.customer(waId, { name: 'Luis', text: 'Hola' });
    const run = await d.newRun('support-routing', before);
    await d.parkedAt(run.id, 'ask-team');
    const [asked] = await eventually(async () => {
      const sends = await d.sandboxSends(waId);
      return sends.length > 0 ? sends : undefined;
    });
    expect(asked.interactive.action.buttons.map((b: Loose) => [b.reply.id, b.reply.title])).toEqual([
      ['sales', 'Ventas'],
      ['support', 'Soporte'],
      ['billing', 'Facturación'],
    ]);
    await d.customer(waId, {
      message: {
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'support', title: 'Soporte' } },
      },
    });
    expect(d.path(await d.until(run.id, 'succeeded'))).toEqual([
      'incoming',
      'route-by-words',
      'ask-team',
      'route-by-button',
      'assign',
      'assigned-reply',
    ]);
    expect((await conversations(waId)).map(summary)).toEqual([
      { team: 'support', agent: 'lucia', state: 'assigned', priority: 'normal' },
    ]);
    expect(await sentTexts(waId, 2)).toEqual([
      '¡Hola Luis! ¿Con quién quieres hablar? / Who would you like to talk to?',
      'Te atiende Lucía García (Soporte); te escribe en unos minutos. / Lucía García (Soporte) will write to you in a few minutes.',
    ]);
  });

  it('Sales closed (a holiday in Mexico City): the hours go out, the conversation waits; it is handed out when Sales opens', async () => {
    const sales = exampleTeams.teams.find((t) => t.id === 'sales');
    const now = new Date();
    const holidays = [now, new Date(now.getTime() + 86_400_000)].map((t) => localDate(t, sales.timezone));
    const closed = await s.api('/api/teams/sales', {
      method: 'PATCH',
      json: { businessHours: sales.businessHours, holidays },
    });
    expect([closed.status, closed.body.openNow]).toEqual([200, false]);

    const waId = '5215510000203';
    const run = await customerRun('support-routing', waId, 'Jorge', '¿Cuál es el precio del plan anual?');
    expect(d.path(run)).toEqual(['incoming', 'route-by-words', 'assign', 'which-hours', 'hours-sales']);
    const [queued] = await conversations(waId);
    expect(queued).toMatchObject({
      teamId: 'sales',
      agentId: null,
      state: 'queued',
      queuedBecause: 'after_hours',
      priority: 'normal',
    });
    expect(await sentTexts(waId, 1)).toEqual([textOf(FLOW, 'hours-sales')]);
    expect(textOf(FLOW, 'hours-sales')).toMatch(/^Nuestro horario de Ventas/);

    const open = await s.api('/api/teams/sales', {
      method: 'PATCH',
      json: { businessHours: null, holidays: [] },
    });
    expect(open.body.openNow).toBe(true);
    expect((await conversations(waId)).map(summary)).toEqual([
      { team: 'sales', agent: 'diego', state: 'assigned', priority: 'normal' },
    ]);
  });
});

describe('vip-routing', () => {
  active('vip-routing');
  const FLOW = 'vip-routing.workflow.json';

  it('a VIP in HubSpot reaches an account manager with high priority; unanswered for 5 minutes, Slack is told once', async () => {
    const run = await customerRun(
      'vip-routing',
      ISABEL,
      'Isabel Fernández',
      'Hola, necesito cambiar mi plan',
    );
    expect(d.path(run)).toEqual(['incoming', 'find-in-hubspot', 'route-by-tier', 'assign', 'assigned-reply']);
    const search = hubspot.requests.filter((r) => r.path === '/crm/v3/objects/contacts/search');
    expect(search).toHaveLength(1);
    expect(search[0]!.headers.authorization).toBe(`Bearer ${hubspot.token}`);
    expect((search[0]!.body as Loose).filterGroups[0].filters[0]).toMatchObject({ value: `+${ISABEL}` });

    const [c] = await conversations(ISABEL);
    expect(summary(c)).toEqual({
      team: 'account-managers',
      agent: 'elena',
      state: 'assigned',
      priority: 'high',
    });
    expect(c.slaMinutes).toBe(5);
    expect(Date.parse(c.slaDueAt) - Date.parse(c.openedAt)).toBeGreaterThanOrEqual(5 * 60_000 - 1000);
    expect(Date.parse(c.slaDueAt) - Date.parse(c.openedAt)).toBeLessThanOrEqual(5 * 60_000 + 1000);
    expect(c.escalation).toMatchObject({ slack: true, slackCredential: 'slack' });
    expect(await sentTexts(ISABEL, 1)).toEqual([
      'Hola Isabel 👋 Te atiende Elena Navarro (Gestores de cuenta); te escribe en unos minutos. / Elena Navarro (Gestores de cuenta) will write to you in a few minutes.',
    ]);

    // Nobody picks it up. A second before the SLA nothing happens; after it, it escalates once.
    const due = Date.parse(c.slaDueAt);
    expect((await s.rt.routing.escalations.escalateDue(new Date(due - 1000))).escalated).toBe(0);
    expect((await s.rt.routing.escalations.escalateDue(new Date(due + 1000))).escalated).toBe(1);
    await eventually(async () => (slack.messages.length > 0 ? true : undefined));
    expect((await s.rt.routing.escalations.escalateDue(new Date(due + 120_000))).escalated).toBe(0);
    await new Promise((r) => setTimeout(r, 2500)); // more routing-loop ticks: still one post
    expect(slack.messages).toHaveLength(1);
    const text = String(slack.messages[0]!.text);
    expect(text).toContain('*Isabel Fernández* (+34622000001)');
    expect(text).toContain('Gestores de cuenta');
    expect(text).toContain('SLA 5 min');
    const [escalated] = await conversations(ISABEL);
    expect(escalated).toMatchObject({ teamId: 'account-managers', agentId: 'elena', state: 'assigned' });
    expect(escalated.escalatedAt).not.toBeNull();
    expect(escalated.notifiedAt).not.toBeNull();
  });

  it('a customer who is not VIP goes to Support, normal priority', async () => {
    const run = await customerRun('vip-routing', JORGE, 'Jorge', '¿Podéis ayudarme con la app?');
    expect(d.path(run)).toEqual(['incoming', 'find-in-hubspot', 'route-by-tier', 'assign', 'assigned-reply']);
    // Fewest open: Lucía holds Luis's conversation, Marc none.
    expect((await conversations(JORGE)).map(summary)).toEqual([
      { team: 'support', agent: 'marc', state: 'assigned', priority: 'normal' },
    ]);
    expect(await sentTexts(JORGE, 1)).toEqual([
      'Hola Jorge 👋 Te atiende Marc Puig (Soporte); te escribe en unos minutos. / Marc Puig (Soporte) will write to you in a few minutes.',
    ]);
  });

  it('not in HubSpot: Support, greeted by the WhatsApp name', async () => {
    const run = await customerRun('vip-routing', LAURA, 'Laura', 'Hola');
    expect(d.path(run)).toEqual(['incoming', 'find-in-hubspot', 'route-by-tier', 'assign', 'assigned-reply']);
    expect((await conversations(LAURA)).map(summary)).toEqual([
      { team: 'support', agent: 'lucia', state: 'assigned', priority: 'normal' },
    ]);
    expect(await sentTexts(LAURA, 1)).toEqual([
      'Hola Laura 👋 Te atiende Lucía García (Soporte); te escribe en unos minutos. / Lucía García (Soporte) will write to you in a few minutes.',
    ]);
    expect(textOf(FLOW, 'assigned-reply')).toContain('{{ input.agent.name }}');
    // Their SLAs have not passed: Slack still has only Isabel's escalation.
    expect(slack.messages).toHaveLength(1);
  });
});
