import type { AssignRequest } from '@switchboard/nodes';
import { expect } from 'vitest';
import type { Runtime } from '../src/runtime.js';
import { inbound, type Loose, metaBytes } from './wa-helpers.js';

// Shared by the agent inbox tests (inbox-stream, inbox-handoff, inbox-history): two teams with one
// agent each, signed-in as people with agent keys, customers writing through the signed webhook.

export interface InboxPeople {
  /** Ana works in Billing; Bob in Sales. Keys are `agent` role keys of their users. */
  ana: { key: string; userId: string; agentId: 'ana' };
  bob: { key: string; userId: string; agentId: 'bob' };
}

type Api = (
  path: string,
  init?: RequestInit & { json?: unknown },
) => Promise<{ status: number; body: Loose }>;

/** Teams billing and sales (always open) with one available agent each, linked to a user. */
export async function setUpTeams(rt: Runtime, api: Api): Promise<InboxPeople> {
  for (const [id, name] of [
    ['billing', 'Billing'],
    ['sales', 'Sales'],
  ]) {
    const made = await api('/api/teams', { method: 'POST', json: { id, name, timezone: 'UTC' } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
  }
  const person = async (agentId: 'ana' | 'bob', name: string, team: string) => {
    const user = await rt.auth.createUser({
      email: `${agentId}@example.com`,
      name,
      role: 'agent',
      password: `${agentId}-password-0123456789`,
    });
    const made = await api('/api/agents', {
      method: 'POST',
      json: { id: agentId, name, teams: [team], userId: user!.id, available: true },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const { key } = await rt.auth.createApiKey({ name: agentId, role: 'agent', createdBy: user!.id });
    return { key, userId: user!.id, agentId };
  };
  return {
    ana: (await person('ana', 'Ana López', 'billing')) as InboxPeople['ana'],
    bob: (await person('bob', 'Bob Smith', 'sales')) as InboxPeople['bob'],
  };
}

let k = 0;
/** What a flow's "Assign to team" step asks for. */
export async function routeTo(
  rt: Runtime,
  team: string,
  waId: string,
  over: Partial<AssignRequest> = {},
): Promise<string> {
  k++;
  const outcome = await rt.routing.assign({
    idempotencyKey: `inbox-run-${k}:route`,
    runId: `inbox-run-${k}`,
    flowId: 'support',
    nodeId: 'route',
    contact: { waId, channel: 'default', name: `Cliente ${waId.slice(-4)}` },
    team,
    strategy: 'roundRobin',
    skills: [],
    priority: 'normal',
    slaMinutes: 30,
    escalation: null,
    summary: 'necesito ayuda',
    ...over,
  });
  if (!outcome.ok) throw new Error(`assign to ${team}: ${JSON.stringify(outcome)}`);
  return outcome.conversationId;
}

let m = 0;
/** The customer writes `text` (a signed webhook, as Meta posts it); resolves to the message's wamid. */
export async function customerSays(
  hook: (raw: Buffer) => Promise<{ status: number }>,
  waId: string,
  text: string,
  at = new Date().toISOString(),
): Promise<string> {
  const wamid = `wamid.inbox-${Date.now()}-${++m}`;
  const res = await hook(metaBytes(inbound(waId, wamid, at, { type: 'text', text: { body: text } })));
  expect(res.status).toBe(200);
  return wamid;
}

export interface SseEvent {
  event: string;
  data: Loose;
}

/**
 * A Server-Sent Events client over fetch: collects events (and `retry:` and comment lines) as they
 * arrive; `next` waits for one that matches.
 */
export async function openStream(url: string, headers: Record<string, string>) {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: SseEvent[] = [];
  const raw: string[] = [];
  let ended = false;
  if (res.ok && res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            raw.push(block);
            const lines = block.split('\n');
            const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
            const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
            if (event) events.push({ event, data: data ? JSON.parse(data) : null });
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // aborted
      } finally {
        ended = true;
      }
    })();
  }
  return {
    status: res.status,
    // A plain record keeps the helper's inferred type nameable (no undici-types leak).
    headers: Object.fromEntries(res.headers) as Record<string, string>,
    events,
    /** Every block as received (`retry: …`, `: heartbeat`, events). */
    raw,
    get ended() {
      return ended;
    },
    async next(match: (e: SseEvent) => boolean, timeoutMs = 10_000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => abort.abort(),
  };
}
