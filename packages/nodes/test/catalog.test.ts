import { NodeCatalogEntry } from '@switchboard/flow-schema';
import { describe, expect, it } from 'vitest';
import { registry } from './harness.js';

describe('built-in catalog', () => {
  it('describes every node in English and Spanish with a JSON Schema for its params', () => {
    const entries = registry.entries();
    expect(entries.map((e) => e.type)).toEqual([
      'trigger.manual',
      'trigger.whatsappMessage',
      'trigger.whatsappStatus',
      'trigger.whatsappConsent',
      'trigger.webhook',
      'trigger.schedule',
      'condition.if',
      'condition.expression',
      'condition.switch',
      'condition.keyword',
      'condition.replyId',
      'condition.businessHours',
      'condition.contact',
      'whatsapp.sendText',
      'whatsapp.sendButtons',
      'whatsapp.sendList',
      'whatsapp.sendTemplate',
      'whatsapp.sendMedia',
      'whatsapp.sendAndWait',
      'whatsapp.askQuestion',
      'whatsapp.markRead',
      'whatsapp.react',
      'routing.route',
      'routing.assign',
      'notify.slack',
      'helpdesk.createTicket',
      'hubspot.findContact',
      'hubspot.upsertContact',
      'hubspot.createTicket',
      'hubspot.addNote',
      'bitrix24.findContact',
      'bitrix24.addContact',
      'bitrix24.addLead',
      'data.setVariable',
      'data.updateContact',
      'http.request',
      'data.code',
      'action.log',
      'flow.delay',
      'flow.waitForEvent',
      'flow.callFlow',
      'flow.merge',
      'flow.end',
    ]);
    for (const entry of entries) {
      expect(NodeCatalogEntry.safeParse(entry).success).toBe(true);
      expect(entry.labels.es.title).not.toBe(entry.labels.en.title);
      expect(entry.paramsSchema.type).toBe('object');
    }
    expect(entries.find((e) => e.type === 'condition.switch')).toMatchObject({
      outputs: ['default'],
      dynamicOutputs: { param: 'cases', field: 'port', extra: ['default'] },
    });
  });
});

describe('node tests', () => {
  it('has, for every built-in node type, a test beside its file that runs it', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../src/nodes/', import.meta.url);
    const tests = readdirSync(dir)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => readFileSync(new URL(f, dir), 'utf8'))
      .join('\n');
    const untested = registry
      .entries()
      .map((e) => e.type)
      .filter((type) => !tests.includes(`'${type}'`));
    expect(untested).toEqual([]);
  });
});
