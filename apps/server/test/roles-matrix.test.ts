// biome-ignore lint/suspicious/noExplicitAny: tests read loosely typed JSON answers
type Loose = any;

import crypto from 'node:crypto';
import type { AssignRequest } from '@switchboard/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../src/api.js';
import { createApp } from '../src/app.js';
import type { Runtime } from '../src/runtime.js';
import { startInProcess } from './in-process.js';

/*
 * The role × route matrix: every route the server registers, called with no credentials and with an
 * API key of each role, must answer as the policy below says. The policy is written out here on its
 * own (it is docs/security.md's "Roles and routes" table), NOT read from the routes' `roles:`, so a
 * route whose declared roles drift from the policy fails, and a route missing here fails too.
 *
 *   - no credentials on a role-gated route → 401
 *   - a role not listed → 403
 *   - a listed role → neither 401 nor 403 (404, 400, 409… show it passed the gate)
 *   - `public` → neither 401 nor 403, with or without credentials
 */

const OWNER_KEY = 'roles-matrix-owner-key-0123456789';
const APP_SECRET = 'roles-matrix-app-secret';
const VERIFY_TOKEN = 'roles-matrix-verify-token';

type Rule = 'public' | readonly Role[];
const ADMINS = ['owner', 'admin'] as const;
const BUILDERS = ['owner', 'admin', 'builder'] as const;
const FLOW_READERS = ['owner', 'admin', 'builder', 'viewer'] as const;
const INBOX = ['owner', 'admin', 'agent'] as const;
const AGENT_READERS = ['owner', 'admin', 'builder', 'agent'] as const;
const EVERYONE = ROLES;

/** `METHOD /path` (Express pattern) → who may call it. Add a new route here, with docs/security.md. */
const POLICY: Record<string, Rule> = {
  // Health, metrics, the API description and the editor's entry page: no credentials.
  'GET /': 'public',
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /api/openapi.json': 'public',
  // Ingress that authenticates itself (Meta's signature or verify token, a flow's HMAC, the Graph token).
  'GET /webhooks/whatsapp': 'public',
  'POST /webhooks/whatsapp': 'public',
  'POST /hooks/:path': 'public',
  'POST /sandbox/graph/:version/:phoneNumberId/messages': 'public',
  'GET /sandbox/graph/:version/:wabaId/message_templates': 'public',
  'POST /sandbox/graph/:version/:wabaId/message_templates': 'public',

  // Accounts: what must work before anyone is signed in is public; the rest is for owners and admins.
  'GET /api/auth/status': 'public',
  'POST /api/auth/setup': 'public',
  'POST /api/auth/sign-in': 'public',
  'POST /api/auth/sign-out': EVERYONE,
  'POST /api/auth/password': EVERYONE,
  'POST /api/invitations/lookup': 'public',
  'POST /api/invitations/accept': 'public',
  'GET /api/users': ADMINS,
  'PATCH /api/users/:id': ADMINS,
  'DELETE /api/users/:id': ADMINS,
  'GET /api/invitations': ADMINS,
  'POST /api/invitations': ADMINS,
  'DELETE /api/invitations/:id': ADMINS,
  'GET /api/api-keys': ADMINS,
  'POST /api/api-keys': ADMINS,
  'DELETE /api/api-keys/:id': ADMINS,
  'GET /api/audit': ADMINS,

  // Flows: read by builders and viewers, written by builders.
  'GET /api/node-types': FLOW_READERS,
  'GET /api/flows': FLOW_READERS,
  'POST /api/flows': BUILDERS,
  'POST /api/flows/validate': BUILDERS,
  'GET /api/flows/:id': FLOW_READERS,
  'PUT /api/flows/:id': BUILDERS,
  'DELETE /api/flows/:id': BUILDERS,
  'POST /api/flows/:id/duplicate': BUILDERS,
  'GET /api/flows/:id/export': FLOW_READERS,
  'POST /api/flows/:id/activate': BUILDERS,
  'POST /api/flows/:id/deactivate': BUILDERS,
  'GET /api/flows/:id/versions': FLOW_READERS,
  'GET /api/flows/:id/versions/:version': FLOW_READERS,
  'POST /api/flows/:id/versions/:version/restore': BUILDERS,
  'POST /api/flows/:id/runs': BUILDERS,

  // Executions: analytics for viewers; acting on runs is building.
  'GET /api/executions': FLOW_READERS,
  'GET /api/executions/:id': FLOW_READERS,
  'POST /api/executions/:id/cancel': BUILDERS,
  'POST /api/executions/:id/wake': BUILDERS,
  'POST /api/executions/:id/replay': BUILDERS,

  // Raw webhook events (customer texts and numbers): for debugging triggers, not for viewers.
  'GET /api/events': BUILDERS,

  // The inbox: contacts and messages are personal data; an agent sees their teams' only.
  'GET /api/contacts': INBOX,
  'GET /api/contacts/:waId': INBOX,
  'PATCH /api/contacts/:waId': INBOX,
  'POST /api/messages': INBOX,
  'GET /api/messages': INBOX,
  'GET /api/messages/:id': INBOX,
  'POST /api/messages/:id/retry': INBOX,
  'GET /api/conversations': INBOX,
  'GET /api/conversations/:id': INBOX,
  'POST /api/conversations/:id/pick-up': INBOX,
  'POST /api/conversations/:id/transfer': INBOX,
  'POST /api/conversations/:id/close': INBOX,
  'POST /api/conversations/:id/hand-back': INBOX,
  'POST /api/conversations/:id/notes': INBOX,
  'GET /api/conversations/:id/messages': INBOX,
  // The inbox's live updates (Server-Sent Events), scoped like the rest of the inbox.
  'GET /api/inbox/stream': INBOX,
  // Analytics: what viewers (and builders) are for; agents see their inbox, not the business's figures.
  'GET /api/analytics/messaging': FLOW_READERS,
  'GET /api/analytics/flows': FLOW_READERS,
  'GET /api/analytics/routing': FLOW_READERS,
  'GET /api/analytics/consent': FLOW_READERS,
  // Outgoing event subscriptions carry signing secrets and send data out: owners and admins.
  'GET /api/subscriptions': ADMINS,
  'POST /api/subscriptions': ADMINS,
  'GET /api/subscriptions/:id': ADMINS,
  'PATCH /api/subscriptions/:id': ADMINS,
  'DELETE /api/subscriptions/:id': ADMINS,
  'POST /api/subscriptions/:id/rotate-secret': ADMINS,
  'GET /api/subscriptions/:id/deliveries': ADMINS,
  'POST /api/subscriptions/:id/deliveries/:deliveryId/replay': ADMINS,
  'POST /api/subscriptions/:id/replay-dead': ADMINS,
  'POST /api/subscriptions/:id/test': ADMINS,
  // Live monitoring and alert rules (notices go out to Slack or a URL): owners and admins.
  'GET /api/monitoring': ADMINS,
  'GET /api/alerts': ADMINS,
  'POST /api/alerts': ADMINS,
  'GET /api/alerts/incidents': ADMINS,
  'GET /api/alerts/:id': ADMINS,
  'PATCH /api/alerts/:id': ADMINS,
  'DELETE /api/alerts/:id': ADMINS,

  // Message templates: everyone reads (flow forms, the inbox picker); builders create and sync.
  'GET /api/templates': EVERYONE,
  'GET /api/templates/:id': EVERYONE,
  'POST /api/templates': BUILDERS,
  'POST /api/templates/sync': BUILDERS,

  // Business numbers and their secrets.
  'GET /api/channels': ADMINS,
  'PUT /api/channels/:id': ADMINS,
  'DELETE /api/channels/:id': ADMINS,
  // CRM timeline sync sends every message of a channel to a CRM: owners and admins.
  'GET /api/channels/:id/crm-sync': ADMINS,
  'PUT /api/channels/:id/crm-sync': ADMINS,
  'DELETE /api/channels/:id/crm-sync': ADMINS,
  'GET /api/channels/:id/crm-sync/records': ADMINS,
  'POST /api/channels/:id/crm-sync/records/:recordId/replay': ADMINS,
  'POST /api/channels/:id/crm-sync/replay-dead': ADMINS,
  // Contacts CSV import/export and saved segments (the Contacts page): owners, admins and builders.
  'GET /api/contacts/export.csv': BUILDERS,
  'POST /api/contacts/import': BUILDERS,
  'GET /api/segments': BUILDERS,
  'POST /api/segments': BUILDERS,
  'POST /api/segments/preview': BUILDERS,
  'GET /api/segments/:id': BUILDERS,
  'PATCH /api/segments/:id': BUILDERS,
  'DELETE /api/segments/:id': BUILDERS,
  'GET /api/segments/:id/preview': BUILDERS,
  // Broadcast campaigns: owners, admins and builders.
  'GET /api/campaigns': BUILDERS,
  'POST /api/campaigns': BUILDERS,
  'POST /api/campaigns/preview': BUILDERS,
  'GET /api/campaigns/:id': BUILDERS,
  'PATCH /api/campaigns/:id': BUILDERS,
  'DELETE /api/campaigns/:id': BUILDERS,
  'POST /api/campaigns/:id/start': BUILDERS,
  'POST /api/campaigns/:id/pause': BUILDERS,
  'POST /api/campaigns/:id/resume': BUILDERS,
  'POST /api/campaigns/:id/cancel': BUILDERS,
  'GET /api/campaigns/:id/results': BUILDERS,
  'GET /api/campaigns/:id/recipients': BUILDERS,

  // Credentials: builders see names (for pickers), only admins write secrets.
  'GET /api/credentials': BUILDERS,
  'GET /api/credentials/:name': BUILDERS,
  'POST /api/credentials': ADMINS,
  'PUT /api/credentials/:name': ADMINS,
  'DELETE /api/credentials/:name': ADMINS,

  // The sandbox's controls and the editor's simulator: testing flows.
  'POST /api/sandbox/messages': BUILDERS,
  'POST /api/sandbox/faults': BUILDERS,
  'POST /api/sandbox/recipients/:waId/fail': BUILDERS,
  'GET /api/sandbox/sends': BUILDERS,
  'DELETE /api/sandbox': BUILDERS,
  'POST /api/sandbox/templates/:id/status': BUILDERS,
  'PUT /api/simulator/contacts/:waId': BUILDERS,
  'GET /api/simulator/contacts': BUILDERS,
  'DELETE /api/simulator/contacts/:waId/conversation': BUILDERS,
  'POST /api/simulator/messages': BUILDERS,
  'GET /api/simulator/conversation': BUILDERS,
  'POST /api/simulator/faults': BUILDERS,

  // Teams: everyone reads (pickers, transfers, analytics); agents read by builders and agents.
  'GET /api/teams': EVERYONE,
  'GET /api/teams/:id': EVERYONE,
  'POST /api/teams': ADMINS,
  'PUT /api/teams/:id': ADMINS,
  'PATCH /api/teams/:id': ADMINS,
  'DELETE /api/teams/:id': ADMINS,
  'GET /api/agents': AGENT_READERS,
  'GET /api/agents/:id': AGENT_READERS,
  'POST /api/agents': ADMINS,
  'PUT /api/agents/:id': ADMINS,
  // An agent: their own agent's `available` only (checked by the route, see the scoping test).
  'PATCH /api/agents/:id': INBOX,
  'DELETE /api/agents/:id': ADMINS,
};

/**
 * Routes whose own check needs something in the request (so a placeholder call does not stop at it),
 * and what the matrix sends them. They are still called with every role and without credentials.
 */
const SELF_CHECKED: Record<
  string,
  { why: string; request: (path: string) => RequestInit & { path?: string } }
> = {
  'GET /webhooks/whatsapp': {
    why: 'Meta’s handshake checks hub.verify_token itself (403 when wrong)',
    request: (path) => ({
      path: `${path}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=4242`,
    }),
  },
  'POST /webhooks/whatsapp': {
    why: 'checks X-Hub-Signature-256 itself (401 when missing or wrong)',
    request: () => {
      const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [] });
      const sig = crypto.createHmac('sha256', APP_SECRET).update(body).digest('hex');
      return { body, headers: { 'x-hub-signature-256': `sha256=${sig}` } };
    },
  },
  'GET /sandbox/graph/:version/:wabaId/message_templates': {
    why: 'the fake Graph API checks the bearer token itself, like Graph (401 without one)',
    request: () => ({ headers: { authorization: 'Bearer fake-graph-access-token' } }),
  },
  'POST /sandbox/graph/:version/:wabaId/message_templates': {
    why: 'the fake Graph API checks the bearer token itself, like Graph (401 without one)',
    request: () => ({ headers: { authorization: 'Bearer fake-graph-access-token' } }),
  },
  'POST /sandbox/graph/:version/:phoneNumberId/messages': {
    why: 'the fake Graph API checks the channel’s access token itself, like Graph (401 without one)',
    request: () => ({ headers: { authorization: 'Bearer fake-graph-access-token' } }),
  },
};

let base: string;
let rt: Runtime;
let close: () => Promise<void>;
const keys = {} as Record<Role, string>;

beforeAll(async () => {
  ({ base, rt, close } = await startInProcess(
    {
      SWITCHBOARD_API_KEY: OWNER_KEY,
      SWITCHBOARD_SEED_EXAMPLES: 'false',
      // The sandbox's control routes exist only in sandbox mode: the matrix must cover them.
      WHATSAPP_MODE: 'sandbox',
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      // Hundreds of calls from one address: no rate limit here.
      SWITCHBOARD_API_RATE_LIMIT: '0',
    },
    { prefix: 'roles-matrix' },
  ));
  keys.owner = OWNER_KEY;
  for (const role of ROLES.filter((r) => r !== 'owner')) {
    const res = await fetch(`${base}/api/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OWNER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `matrix ${role}`, role }),
    });
    const body = (await res.json()) as Loose;
    expect(res.status, JSON.stringify(body)).toBe(201);
    keys[role] = body.key;
  }
});
afterAll(() => close?.());

/** Every `METHOD /path` the Express app routes: its router stack, walked into mounted routers. */
function registeredRoutes(): string[] {
  const app = createApp(rt) as Loose;
  const found: string[] = [];
  const walk = (stack: Loose[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method !== '_all') found.push(`${method.toUpperCase()} ${layer.route.path}`);
        }
      } else if (Array.isArray(layer.handle?.stack)) {
        // Only routers mounted at the root keep their routes' paths as written.
        expect(layer.slash, 'a router mounted under a path: teach this test its prefix').toBe(true);
        walk(layer.handle.stack);
      }
    }
  };
  walk(app.router.stack);
  return [...new Set(found)];
}

const who = ['none', ...ROLES] as const;
type Who = (typeof who)[number];

async function call(route: string, caller: Who) {
  const [method, pattern] = route.split(' ') as [string, string];
  const path = pattern.replace(/:([A-Za-z_]+)/g, 'x');
  const special = SELF_CHECKED[route]?.request(path) ?? {};
  const headers: Record<string, string> = {
    ...(method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
    ...((special.headers as Record<string, string>) ?? {}),
    ...(caller === 'none' ? {} : { authorization: `Bearer ${keys[caller]}` }),
  };
  const res = await fetch(`${base}${special.path ?? path}`, {
    method,
    headers,
    ...(method === 'GET' || method === 'DELETE' ? {} : { body: (special.body as string) ?? '{}' }),
    redirect: 'manual',
  });
  // A live stream never ends by itself: its status and headers are the answer.
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, text: '' };
  }
  const text = await res.text();
  return { status: res.status, text };
}

describe('role × route matrix', () => {
  it('covers every route the server registers, and the OpenAPI document agrees', async () => {
    const routes = registeredRoutes();
    const missing = routes.filter((r) => !(r in POLICY));
    expect(missing, 'add these routes to POLICY (and to docs/security.md)').toEqual([]);
    const gone = Object.keys(POLICY).filter((r) => !routes.includes(r));
    expect(gone, 'POLICY names routes the server no longer registers').toEqual([]);

    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as Loose;
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{([A-Za-z_]+)\}/g, ':$1')}`),
    );
    expect(documented.filter((r) => !routes.includes(r))).toEqual([]);
    expect(routes.filter((r) => r !== 'GET /' && !documented.includes(r))).toEqual([]);
    // The document tells clients the same roles: `security: []` for public routes, `x-roles` otherwise.
    const drift: string[] = [];
    const norm = (r: Rule | undefined) => (r === 'public' || !r ? String(r) : [...r].sort().join(', '));
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Loose>>)) {
      for (const [m, op] of Object.entries(ops)) {
        const route = `${m.toUpperCase()} ${path.replace(/\{([A-Za-z_]+)\}/g, ':$1')}`;
        const said = Array.isArray(op.security) && op.security.length === 0 ? 'public' : op['x-roles'];
        if (norm(said) !== norm(POLICY[route]))
          drift.push(`${route}: documented ${norm(said)}, policy ${norm(POLICY[route])}`);
      }
    }
    expect(drift).toEqual([]);
  });

  it('answers every route × {no credentials, owner, admin, builder, agent, viewer} as the policy says', async () => {
    const failures: string[] = [];
    for (const route of registeredRoutes()) {
      const rule = POLICY[route];
      if (!rule) {
        // Still checked: without credentials it must not answer (a route nobody declared stays shut).
        const { status } = await call(route, 'none');
        failures.push(
          `${route}: not in POLICY (add it to the table); without credentials it answered ${status}`,
        );
        continue;
      }
      for (const caller of who) {
        const { status, text } = await call(route, caller);
        const gate = status === 401 || status === 403;
        const expected =
          rule === 'public'
            ? 'neither 401 nor 403'
            : caller === 'none'
              ? '401'
              : rule.includes(caller)
                ? 'neither 401 nor 403'
                : '403';
        const ok =
          expected === '401' ? status === 401 : expected === '403' ? status === 403 : !gate && status < 500;
        if (!ok)
          failures.push(`${route} as ${caller}: ${status} (expected ${expected}) ${text.slice(0, 160)}`);
        if (expected === '403' && ok) {
          // The gate's refusal, not a handler's.
          expect(JSON.parse(text).error, `${route} as ${caller}`).toBe('forbidden');
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('lists why each self-checking public route gets more than a placeholder', () => {
    for (const [route, s] of Object.entries(SELF_CHECKED)) {
      expect(POLICY[route], route).toBe('public');
      expect(s.why.length).toBeGreaterThan(10);
    }
  });
});

// --- an agent sees their own teams' inbox only ---

const owner = async (path: string, init: { method?: string; json?: unknown } = {}) =>
  as(OWNER_KEY, path, init);
async function as(key: string, path: string, init: { method?: string; json?: unknown } = {}) {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Loose };
}

let k = 0;
const assign = async (team: string, waId: string) => {
  k++;
  await rt.contacts.ensure({
    waId,
    channel: 'default',
    at: new Date().toISOString(),
    derive: (w) => ({ phone: `+${w}`, country: null }),
  });
  const outcome = await rt.routing.assign({
    idempotencyKey: `matrix-run-${k}:route`,
    runId: `matrix-run-${k}`,
    flowId: 'support',
    nodeId: 'route',
    contact: { waId, channel: 'default', name: `Cliente ${k}` },
    team,
    strategy: 'roundRobin',
    skills: [],
    priority: 'normal',
    slaMinutes: null,
    escalation: null,
    summary: 'ayuda',
  } satisfies AssignRequest);
  if (!outcome.ok) throw new Error(`assign to ${team} failed: ${JSON.stringify(outcome)}`);
  return outcome.conversationId;
};

describe('agent scoping', () => {
  const BILLING_WA = '5215511110001';
  const SALES_WA = '5215522220002';
  let anaKey: string;
  let unlinkedKey: string;
  let billing: string;
  let sales: string;

  beforeAll(async () => {
    for (const [id, name] of [
      ['billing', 'Billing'],
      ['sales', 'Sales'],
    ])
      expect((await owner('/api/teams', { json: { id, name, timezone: 'UTC' } })).status).toBe(201);
    const user = await rt.auth.createUser({
      email: 'ana@example.com',
      name: 'Ana',
      role: 'agent',
      password: 'ana-password-0123456789',
    });
    expect(user).toBeDefined();
    // The link is set by owner/admin through the agents API.
    const created = await owner('/api/agents', {
      json: { id: 'ana', name: 'Ana', teams: ['billing'], userId: user!.id },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.userId).toBe(user!.id);
    expect((await owner('/api/agents', { json: { id: 'bob', name: 'Bob', teams: ['sales'] } })).status).toBe(
      201,
    );
    // A user works as one agent at most.
    expect((await owner('/api/agents/bob', { method: 'PATCH', json: { userId: user!.id } })).status).toBe(
      409,
    );
    expect((await owner('/api/agents/bob', { method: 'PATCH', json: { userId: 'nobody' } })).status).toBe(
      400,
    );

    anaKey = (await rt.auth.createApiKey({ name: 'ana', role: 'agent', createdBy: user!.id })).key;
    unlinkedKey = (await rt.auth.createApiKey({ name: 'nobody', role: 'agent', createdBy: null })).key;
    billing = await assign('billing', BILLING_WA);
    sales = await assign('sales', SALES_WA);
  });

  it('lists only their teams’ conversations, and 404s another team’s', async () => {
    const all = await owner('/api/conversations');
    expect(all.body.items.map((c: Loose) => c.id).sort()).toEqual([billing, sales].sort());

    const mine = await as(anaKey, '/api/conversations');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((c: Loose) => c.id)).toEqual([billing]);
    expect((await as(anaKey, '/api/conversations?team=sales')).body.items).toEqual([]);
    expect((await as(anaKey, `/api/conversations/${billing}`)).status).toBe(200);

    const other = await as(anaKey, `/api/conversations/${sales}`);
    const unknown = await as(anaKey, '/api/conversations/no-such-conversation');
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(other.body.error).toBe(unknown.body.error);
    for (const action of ['pick-up', 'close'])
      expect((await as(anaKey, `/api/conversations/${sales}/${action}`, { json: {} })).status).toBe(404);
    expect(
      (await as(anaKey, `/api/conversations/${sales}/transfer`, { json: { team: 'billing' } })).status,
    ).toBe(404);
  });

  it('sees only their teams’ contacts and messages', async () => {
    const contacts = await as(anaKey, '/api/contacts');
    expect(contacts.status).toBe(200);
    expect(contacts.body.items.map((c: Loose) => c.waId)).toEqual([BILLING_WA]);
    expect((await as(anaKey, `/api/contacts/${BILLING_WA}`)).status).toBe(200);
    expect((await as(anaKey, `/api/contacts/${SALES_WA}`)).status).toBe(404);
    expect(
      (await as(anaKey, `/api/contacts/${SALES_WA}`, { method: 'PATCH', json: { tags: ['x'] } })).status,
    ).toBe(404);
    expect((await owner(`/api/contacts/${SALES_WA}`)).status).toBe(200);

    const text = { type: 'text', text: 'hola' };
    const toSales = await owner('/api/messages', { json: { to: SALES_WA, message: text } });
    expect([202, 422]).toContain(toSales.status);
    const salesMessage = toSales.body.id ?? toSales.body.problems?.[0]?.messageId;
    expect((await as(anaKey, '/api/messages', { json: { to: SALES_WA, message: text } })).status).toBe(404);
    const toBilling = await as(anaKey, '/api/messages', { json: { to: BILLING_WA, message: text } });
    expect([202, 422]).toContain(toBilling.status);

    const listed = await as(anaKey, '/api/messages');
    expect(listed.status).toBe(200);
    expect(new Set(listed.body.items.map((m: Loose) => m.recipient))).toEqual(new Set([BILLING_WA]));
    if (salesMessage) expect((await as(anaKey, `/api/messages/${salesMessage}`)).status).toBe(404);
  });

  it('transfers only into teams that exist, picks up as themselves', async () => {
    const nowhere = await as(anaKey, `/api/conversations/${billing}/transfer`, { json: { team: 'nope' } });
    expect(nowhere.status).toBe(400);
    expect(
      (await as(anaKey, `/api/conversations/${billing}/pick-up`, { json: { agent: 'bob' } })).status,
    ).toBe(403);
    const picked = await as(anaKey, `/api/conversations/${billing}/pick-up`, { json: {} });
    expect(picked.status, JSON.stringify(picked.body)).toBe(200);
    expect(picked.body).toMatchObject({ state: 'open', agentId: 'ana' });
  });

  it('switches only their own availability', async () => {
    const on = await as(anaKey, '/api/agents/ana', { method: 'PATCH', json: { available: true } });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    expect(on.body.available).toBe(true);
    expect((await as(anaKey, '/api/agents/ana', { method: 'PATCH', json: { capacity: 50 } })).status).toBe(
      403,
    );
    expect((await as(anaKey, '/api/agents/bob', { method: 'PATCH', json: { available: true } })).status).toBe(
      403,
    );
    expect((await as(anaKey, '/api/agents/ana', { method: 'PUT', json: { name: 'Ana' } })).status).toBe(403);
  });

  it('an agent principal without a linked agent sees nothing', async () => {
    for (const path of ['/api/conversations', '/api/contacts', '/api/messages']) {
      const res = await as(unlinkedKey, path);
      expect(res.status, path).toBe(200);
      expect(res.body.items, path).toEqual([]);
    }
    expect((await as(unlinkedKey, `/api/conversations/${billing}`)).status).toBe(404);
    expect((await as(unlinkedKey, `/api/contacts/${BILLING_WA}`)).status).toBe(404);
  });
});
