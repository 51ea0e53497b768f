import {
  type ContactLookup,
  createEngine,
  type ExpressionEvaluator,
  type Json,
  type Logger,
  ManualClock,
  type NodeServices,
} from '@switchboard/engine';
import { MemoryFlowSource, MemoryRunStore } from '@switchboard/engine/testing';
import { Flow, validateFlow } from '@switchboard/flow-schema';
import { validateOutbound } from '@switchboard/whatsapp';
import { createRegistry } from '../src/registry.js';
import type { ContactsService, ContactView, OutgoingMessage, SendOutcome } from '../src/services.js';

export const registry = createRegistry();

/** A logger that keeps what nodes log, to assert on. */
export function memoryLogger(
  lines: Array<{ level: string; obj: object; msg?: string }> = [],
): Logger & { lines: typeof lines } {
  const make = (bindings: object): Logger => ({
    debug: (obj, msg) => lines.push({ level: 'debug', obj: { ...bindings, ...obj }, msg }),
    info: (obj, msg) => lines.push({ level: 'info', obj: { ...bindings, ...obj }, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj: { ...bindings, ...obj }, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj: { ...bindings, ...obj }, msg }),
    child: (more) => make({ ...bindings, ...more }),
  });
  return Object.assign(make({}), { lines });
}

/**
 * Runs a flow made of a manual trigger followed by `nodes` (wired by `edges`, `a->b` or `a.port->b`)
 * through the real engine, after checking it validates.
 */
export async function runFlow(
  nodes: Array<{ id: string; type: string; params?: object }>,
  edges: string[],
  payload: Json = null,
  options: {
    services?: NodeServices;
    trigger?: string;
    triggerParams?: object;
    at?: string;
    expressions?: ExpressionEvaluator;
    contactOf?: ContactLookup;
  } = {},
) {
  const doc = {
    schemaVersion: 1,
    id: 'harness',
    name: 'harness',
    nodes: [
      { id: 'start', type: options.trigger ?? 'trigger.manual', params: options.triggerParams ?? {} },
      ...nodes,
    ].map((n, i) => ({
      params: {},
      position: { x: i * 100, y: 0 },
      ...n,
    })),
    edges: edges.map((e, i) => {
      const [from, to] = e.split('->') as [string, string];
      const [source, sourcePort = 'out'] = from.split('.') as [string, string?];
      return { id: `e${i}`, source, sourcePort, target: to };
    }),
  };
  const validation = validateFlow(doc, registry);
  if (!validation.ok) throw new Error(`invalid test flow: ${JSON.stringify(validation.problems)}`);
  const flow = Flow.parse(doc);
  const store = new MemoryRunStore();
  const clock = new ManualClock(options.at ?? '2026-05-04T08:00:00.000Z');
  const logger = memoryLogger();
  const engine = createEngine({
    registry,
    store,
    clock,
    logger,
    flows: new MemoryFlowSource().add(flow),
    ...(options.services ? { services: options.services } : {}),
    ...(options.expressions ? { expressions: options.expressions } : {}),
    ...(options.contactOf ? { contactOf: options.contactOf } : {}),
  });
  const runId = await engine.startRun({ flow, flowVersion: 1, payload });
  const status = await engine.runUntilSettled(runId);
  const steps = await store.getSteps(runId);
  return {
    status,
    steps,
    logger,
    engine,
    clock,
    runId,
    store,
    /** Node ids that completed, in order. */
    path: steps.filter((s) => s.status === 'succeeded').map((s) => s.nodeId),
    portsOf: (id: string) => steps.filter((s) => s.nodeId === id).flatMap((s) => s.ports),
  };
}

/**
 * A WhatsApp service that records sends, refuses the numbers it is told to, and checks every message
 * against the real outbound schema (Meta's limits), as the server does.
 */
export function fakeWhatsApp(refuse: Record<string, string> = {}) {
  const sent: Array<{ to: string; channel: string; message: OutgoingMessage; idempotencyKey: string }> = [];
  const byKey = new Map<string, string>();
  const service = {
    async send(args: {
      to: string;
      channel: string;
      message: OutgoingMessage;
      idempotencyKey: string;
    }): Promise<SendOutcome> {
      const valid = validateOutbound(args.message);
      if (!valid.ok) return { ok: false, reason: 'invalid_message', message: JSON.stringify(valid.problems) };
      const reason = refuse[args.to];
      if (reason) return { ok: false, reason, message: `refused: ${reason}` };
      const existing = byKey.get(args.idempotencyKey);
      if (existing) return { ok: true, messageId: existing, status: 'queued' };
      const messageId = `wamid.FAKE${sent.length + 1}`;
      byKey.set(args.idempotencyKey, messageId);
      sent.push({
        to: args.to,
        channel: args.channel,
        message: args.message,
        idempotencyKey: args.idempotencyKey,
      });
      return { ok: true, messageId, status: 'queued' };
    },
  };
  return { sent, services: { whatsapp: service } as NodeServices };
}

/** A `message.received` event as the dispatcher hands it to triggers. */
export function inboundEvent(waId: string, message: Record<string, unknown>, channelId = 'default') {
  return {
    type: 'message.received',
    waId,
    channelId,
    profileName: 'Cliente',
    messageId: `wamid.IN${Math.random()}`,
    message,
  } as Json;
}

/** An in-memory contacts service, as the server provides over its contacts table. */
export function fakeContacts(initial: Record<string, Partial<ContactView>> = {}) {
  const store = new Map<string, ContactView>();
  const blank = (waId: string): ContactView => ({
    waId,
    name: null,
    country: null,
    timezone: null,
    tags: [],
    attributes: {},
    consent: {},
    lastInboundAt: null,
  });
  for (const [waId, c] of Object.entries(initial)) store.set(waId, { ...blank(waId), ...c });
  const contacts: ContactsService = {
    async get({ waId }) {
      return store.get(waId) ?? null;
    },
    async update({ waId, attributes, addTags, removeTags, consent }) {
      const c = store.get(waId) ?? blank(waId);
      const tags = [...new Set([...c.tags, ...(addTags ?? [])])].filter(
        (t) => !(removeTags ?? []).includes(t),
      );
      const next: ContactView = {
        ...c,
        tags,
        attributes: { ...c.attributes, ...attributes },
        consent: consent
          ? {
              ...c.consent,
              [consent.category]: {
                optedIn: consent.optedIn,
                source: 'flow',
                at: '2026-05-04T08:00:00.000Z',
              },
            }
          : c.consent,
      };
      store.set(waId, next);
      return next;
    },
  };
  return { store, services: { contacts } as NodeServices };
}
