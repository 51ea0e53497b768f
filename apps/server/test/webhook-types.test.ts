import { readdirSync, readFileSync } from 'node:fs';
import { normalizeWebhook } from '@switchboard/whatsapp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Loose, metaBytes, startWhatsAppServer } from './wa-helpers.js';

// Every documented webhook shape (the fixtures of packages/whatsapp, written from Meta's reference), posted
// through HTTP as Meta sends it: escaped-unicode raw bytes with a real signature.
const dir = new URL('../../../packages/whatsapp/test/fixtures/inbound/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ name: f, body: JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as unknown }));

let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
beforeAll(async () => {
  s = await startWhatsAppServer({ WHATSAPP_SANDBOX_STATUS_DELAYS_MS: '600000,600000,600000' });
});
afterAll(() => s.close());

describe('every webhook type through the ingress', () => {
  it('stores, lists and processes each event of every fixture exactly once, even when all are re-delivered', async () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
    const expected = new Map<string, string>();
    for (const f of fixtures) {
      const keys = normalizeWebhook(f.body).events.map((e) => [e.dedupeKey, e.type] as const);
      const fresh = keys.filter(([k]) => !expected.has(k));
      for (const [k, t] of keys) expected.set(k, t);
      const r = await s.hook(metaBytes(f.body));
      expect([f.name, r.status, r.body.received]).toEqual([f.name, 200, fresh.length]);
    }
    for (const f of fixtures) {
      const again = await s.hook(metaBytes(f.body));
      expect([f.name, again.body.received]).toEqual([f.name, 0]);
    }
    const all = await eventually(async () => {
      const items = (await s.api('/api/events?limit=500')).body.items as Loose[];
      return items.length >= expected.size && items.every((e) => e.status !== 'pending') ? items : undefined;
    });
    const listed = all.map((e) => e.event.dedupeKey as string);
    expect(listed.sort()).toEqual([...expected.keys()].sort());
    for (const e of all)
      expect([e.event.dedupeKey, e.type, e.status]).toEqual([
        e.event.dedupeKey,
        expected.get(e.event.dedupeKey),
        'processed',
      ]);
    const types = new Set(all.filter((e) => e.type === 'message.received').map((e) => e.event.message.type));
    expect([...types].sort()).toEqual(
      [
        'audio',
        'button_reply',
        'contacts',
        'document',
        'flow_reply',
        'image',
        'list_reply',
        'location',
        'order',
        'reaction',
        'sticker',
        'system',
        'template_button',
        'text',
        'unsupported',
        'video',
      ].sort(),
    );
  });

  it('keeps each sender as a contact with the time of their latest message', async () => {
    const received = (
      (await s.api('/api/events?type=message.received&limit=500')).body.items as Loose[]
    ).filter((e) => e.waId);
    for (const e of received) {
      const contact = (await s.api(`/api/contacts/${e.waId}?channel=${e.channelId}`)).body;
      expect(contact.waId).toBe(e.waId);
      expect(contact.lastInboundAt >= e.occurredAt).toBe(true);
    }
  });

  it('keeps the latest marketing consent decision, wherever it came from (user_preferences, error 131050)', async () => {
    const consent = (
      await Promise.all(
        ['contact.opted_out', 'contact.opted_in'].map(
          async (type) => (await s.api(`/api/events?type=${type}&limit=500`)).body.items as Loose[],
        ),
      )
    )
      .flat()
      .filter((e) => e.event.category === 'marketing');
    expect(consent.some((e) => e.event.source === 'error_131050')).toBe(true);
    for (const waId of new Set(consent.map((e) => e.waId as string))) {
      const latest = consent
        .filter((e) => e.waId === waId)
        .sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : 1))
        .at(-1);
      const contact = (await s.api(`/api/contacts/${waId}?channel=${latest.channelId}`)).body;
      expect(contact.consent.marketing).toMatchObject({
        optedIn: latest.type === 'contact.opted_in',
        source: latest.event.source,
        at: latest.occurredAt,
      });
    }
  });
});
