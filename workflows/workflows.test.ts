import { readdirSync, readFileSync } from 'node:fs';
import { createEngine, type Json, type Logger, ManualClock } from '@switchboard/engine';
import { MemoryFlowSource, MemoryRunStore } from '@switchboard/engine/testing';
import { validateFlow } from '@switchboard/flow-schema';
import { createRegistry, type WhatsAppService } from '@switchboard/nodes';
import { describe, expect, it } from 'vitest';

interface Case {
  name: string;
  /** The trigger's payload; for WhatsApp triggers `{ waId, name, message }`, made into a received event. */
  payload: Json;
  /** Customer replies, delivered one by one whenever the run waits for the contact. */
  replies?: Json[];
  /** Texts (or button bodies) sent to the contact, in order. */
  sent?: string[];
  status: string;
  /** Node ids that completed, in order. */
  path: string[];
  /** Messages logged by action.log nodes, in order. */
  logs?: string[];
  /** Virtual time the run spent waiting. */
  waitedMs?: number;
}

const dir = new URL('./', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.workflow.json'));
const registry = createRegistry();

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
          const start = new Date('2026-06-01T10:00:00.000Z');
          const clock = new ManualClock(start);
          const logs: string[] = [];
          const sent: string[] = [];
          const whatsapp: WhatsAppService = {
            async send({ message, idempotencyKey }) {
              sent.push(
                String(message.text ?? (typeof message.body === 'string' ? message.body : message.name)),
              );
              return { ok: true, messageId: `wamid.${idempotencyKey}`, status: 'queued' };
            },
          };
          const engine = createEngine({
            registry,
            store,
            clock,
            logger: captureLogs(logs),
            flows: new MemoryFlowSource().add(flow),
            services: { whatsapp },
          });
          const isWhatsApp = flow.nodes.some((n) => n.type === 'trigger.whatsappMessage');
          const contact = c.payload as { waId: string; name: string; message: Json };
          const event = (message: Json) =>
            ({
              type: 'message.received',
              channelId: 'default',
              waId: contact.waId,
              profileName: contact.name,
              message,
            }) as Json;
          const payload = isWhatsApp ? event(contact.message) : c.payload;
          const runId = await engine.startRun({ flow, flowVersion: 1, payload });
          const replies = [...(c.replies ?? [])];
          let status = await engine.runUntilSettled(runId);
          while (status === 'waiting') {
            const reply = replies.shift();
            const woken =
              reply === undefined ? [] : await engine.deliver(`reply:default:${contact.waId}`, event(reply));
            const wakeAt = (await store.getRun(runId))?.wakeAt;
            if (woken.length === 0 && !wakeAt) break;
            if (woken.length === 0 && wakeAt) clock.set(wakeAt);
            status = await engine.runUntilSettled(runId);
          }
          const steps = await store.getSteps(runId);
          expect(status).toBe(c.status);
          expect(steps.filter((s) => s.status === 'succeeded').map((s) => s.nodeId)).toEqual(c.path);
          if (c.logs) expect(logs).toEqual(c.logs);
          expect(sent).toEqual(c.sent ?? []);
          expect(clock.now().getTime() - start.getTime()).toBe(c.waitedMs ?? 0);
        });
      }
    });
  }
});
