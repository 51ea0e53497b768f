import { readdirSync, readFileSync } from 'node:fs';
import { createEngine, type Json, type Logger, ManualClock } from '@switchboard/engine';
import { MemoryFlowSource, MemoryRunStore } from '@switchboard/engine/testing';
import { validateFlow } from '@switchboard/flow-schema';
import { createRegistry } from '@switchboard/nodes';
import { ExpressionPool } from '@switchboard/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { type CannedResponse, fakeHttp } from './fake-http.js';
import {
  type AgentOverrides,
  type ConversationSummary,
  type ExampleTeams,
  fakeRouting,
} from './fake-routing.js';
import { type CaseContact, fakeWhatsAppWorld } from './fake-whatsapp.js';

interface Case {
  name: string;
  /** The trigger's payload; for WhatsApp triggers `{ waId, name, message }`, made into a received event. */
  payload: Json;
  /** Customer replies, delivered one by one whenever the run waits for the contact. */
  replies?: Json[];
  /**
   * Who the run talks to when the trigger is not a WhatsApp message (a shop webhook, a consent event),
   * and what is known about them before it starts: last message (24-hour window), consent, tags.
   */
  contact?: CaseContact;
  /** Texts (or button bodies, or template names) sent and accepted by WhatsApp policy, in order. */
  sent?: string[];
  /** Reasons of sends the policy refused, in order (e.g. `not_opted_in`). */
  refused?: string[];
  status: string;
  /** Node ids that completed, in order. */
  path: string[];
  /** Messages logged by action.log nodes, in order. */
  logs?: string[];
  /** Virtual time the run spent waiting. */
  waitedMs?: number;
  /** When the case starts (ISO), e.g. to test a team's hours; default Monday 2026-06-01T10:00Z. */
  at?: string;
  /** Changes to the agents of `example-teams.json` for this case, e.g. `{ "lucia": { "available": false } }`. */
  agents?: AgentOverrides;
  /** Canned answers to outbound HTTP (CRM, Slack), by `"METHOD url"`. */
  http?: Record<string, CannedResponse>;
  /** The conversations opened (team, agent id or null, state, priority), oldest first. */
  conversations?: ConversationSummary[];
  /** Every outbound HTTP request, as `"METHOD url"`, in order. */
  requests?: string[];
}

const dir = new URL('./', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.workflow.json'));
const registry = createRegistry();
/** The teams and agents routing examples assign to (also what the server seeds on a first start). */
const exampleTeams: ExampleTeams = JSON.parse(readFileSync(new URL('example-teams.json', dir), 'utf8'));
// The same isolated-vm expression pool as the server, so examples may use {{ }} expressions.
const expressions = new ExpressionPool();
afterAll(() => expressions.dispose());

function captureLogs(lines: string[]): Logger {
  const logger: Logger = {
    debug: () => {},
    info: (obj) => record(obj),
    warn: (obj) => record(obj),
    error: (obj) => record(obj),
    child: () => logger,
  };
  const record = (obj: object) => {
    const entry = (obj as { flowLog?: { message: string } }).flowLog;
    if (entry) lines.push(entry.message);
  };
  return logger;
}

describe('example workflows', () => {
  it('has examples to run', () => expect(files.length).toBeGreaterThanOrEqual(2));

  for (const file of files) {
    const doc = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    const expected: { cases: Case[] } = JSON.parse(
      readFileSync(new URL(file.replace('.workflow.json', '.expected.json'), dir), 'utf8'),
    );

    describe(file, () => {
      it('validates with no problems at all', () => {
        expect(validateFlow(doc, registry).problems).toEqual([]);
      });

      for (const c of expected.cases) {
        it(`runs: ${c.name}`, async () => {
          const flow = validateFlow(doc, registry).flow!;
          const store = new MemoryRunStore();
          const start = new Date(c.at ?? '2026-06-01T10:00:00.000Z');
          const clock = new ManualClock(start);
          const logs: string[] = [];
          const world = fakeWhatsAppWorld(clock, c.contact);
          const routing = fakeRouting(clock, exampleTeams, c.agents);
          const http = fakeHttp(c.http);
          const engine = createEngine({
            registry,
            store,
            clock,
            logger: captureLogs(logs),
            flows: new MemoryFlowSource().add(flow),
            services: { ...world.services, routing: routing.service, http: http.service },
            expressions,
          });
          const isWhatsApp = flow.nodes.some((n) => n.type === 'trigger.whatsappMessage');
          const contact = (c.contact ?? c.payload) as { waId: string; name?: string; message?: Json };
          const event = (message: Json) =>
            ({
              type: 'message.received',
              channelId: 'default',
              waId: contact.waId,
              profileName: contact.name,
              message,
            }) as Json;
          const payload = isWhatsApp ? event(contact.message ?? null) : c.payload;
          world.received(payload);
          const runId = await engine.startRun({ flow, flowVersion: 1, payload });
          const replies = [...(c.replies ?? [])];
          let status = await engine.runUntilSettled(runId);
          while (status === 'waiting') {
            // A reply is delivered only once the run waits for the contact (not while it sits on a delay).
            const reply = replies[0];
            const woken =
              reply === undefined ? [] : await engine.deliver(`reply:default:${contact.waId}`, event(reply));
            if (woken.length > 0) world.received(event(replies.shift()!));
            const wakeAt = (await store.getRun(runId))?.wakeAt;
            if (woken.length === 0 && !wakeAt) break;
            if (woken.length === 0 && wakeAt) clock.set(wakeAt);
            status = await engine.runUntilSettled(runId);
          }
          const steps = await store.getSteps(runId);
          expect(status).toBe(c.status);
          expect(steps.filter((s) => s.status === 'succeeded').map((s) => s.nodeId)).toEqual(c.path);
          if (c.logs) expect(logs).toEqual(c.logs);
          expect(world.sent).toEqual(c.sent ?? []);
          expect(world.refused).toEqual(c.refused ?? []);
          expect(clock.now().getTime() - start.getTime()).toBe(c.waitedMs ?? 0);
          expect(routing.conversations()).toEqual(c.conversations ?? []);
          expect(http.requests).toEqual(c.requests ?? []);
        });
      }
    });
  }
});
