import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeBitrix24, startFakeBitrix24 } from './fakes/fake-bitrix24.js';
import { type FakeHubSpot, startFakeHubSpot } from './fakes/fake-hubspot.js';
import { eventually, inbound, type Loose, metaBytes, startWhatsAppServer } from './wa-helpers.js';

// CRM timeline sync on a whole server (SQLite, or Postgres with SWITCHBOARD_TEST_SERVER_DB=postgres):
// messages written through signed webhooks and sent through the outbox end on fake HubSpot and Bitrix24
// timelines, once each, with the contact created when the CRM does not know the number.

const HUBSPOT_TOKEN = 'pat-na1-crm-sync-0000-1111';
const ANA = '34600111222'; // known to HubSpot
const LUIS = '573001234567'; // known to Bitrix24

let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
let hubspot: FakeHubSpot;
let bitrix: FakeBitrix24;
let anaId: string;
let luisId: string;
let n = 0;

const credential = async (name: string, type: string, data: object) => {
  const stored = await s.api('/api/credentials', { method: 'POST', json: { name, type, data } });
  if (stored.status !== 201) throw new Error(`credential ${name}: ${JSON.stringify(stored.body)}`);
};
const setSync = async (json: object) => {
  const put = await s.api('/api/channels/default/crm-sync', { method: 'PUT', json });
  expect(put.status).toBe(200);
  return put.body;
};
/** A signed webhook with one text message from `from` (a fixed wamid makes Meta's re-delivery). */
const write = (from: string, text: string, wamid = `wamid.crm${++n}`, name = 'Cliente') =>
  s
    .hook(
      metaBytes(inbound(from, wamid, new Date().toISOString(), { type: 'text', text: { body: text } }, name)),
    )
    .then((r) => {
      expect(r.status).toBe(200);
      return wamid;
    });
const send = async (to: string, text: string) => {
  const sent = await s.api('/api/messages', {
    method: 'POST',
    json: { to, message: { type: 'text', text } },
  });
  expect(sent.status).toBe(202);
  return sent.body.id as string;
};
const records = async (query = '') =>
  (await s.api(`/api/channels/default/crm-sync/records${query}`)).body.items as Loose[];
const recordOf = (messageId: string) =>
  eventually(async () => {
    const r = (await records()).find((x) => x.messageId === messageId);
    return r && ['synced', 'dead'].includes(r.status) ? r : undefined;
  });
const notesWith = (text: string) => hubspot.notes.filter((x) => x.properties.hs_note_body?.includes(text));
const settle = () => new Promise((done) => setTimeout(done, 300));

beforeAll(async () => {
  [hubspot, bitrix] = await Promise.all([
    startFakeHubSpot({ token: HUBSPOT_TOKEN }),
    startFakeBitrix24({ userId: '7', code: 'b24CrmSyncCode7788' }),
  ]);
  anaId = hubspot.seedContact({ phone: `+${ANA}`, firstname: 'Ana' });
  luisId = bitrix.seedContact({ NAME: 'Luis', PHONE: [{ VALUE: `+${LUIS}`, VALUE_TYPE: 'MOBILE' }] });
  s = await startWhatsAppServer({ SWITCHBOARD_CRM_SYNC_BACKOFF_MS: '20' });
  await credential('hubspot', 'hubspot', { accessToken: HUBSPOT_TOKEN, baseUrl: hubspot.url });
  await credential('hubspot-wrong', 'hubspot', {
    accessToken: 'pat-na1-wrong-token-9999',
    baseUrl: hubspot.url,
  });
  await credential('bitrix', 'bitrix24', { webhookUrl: bitrix.webhookUrl });
});

afterAll(async () => {
  await s?.close();
  await Promise.all([hubspot?.close(), bitrix?.close()]);
});

describe('CRM timeline sync, HubSpot', () => {
  it('logs an inbound and an outbound message once each on the contact’s timeline, as notes', async () => {
    expect(await setSync({ provider: 'hubspot', credential: 'hubspot' })).toMatchObject({
      channel: 'default',
      provider: 'hubspot',
      logAs: 'note',
      enabled: true,
    });
    const wamid = await write(ANA, 'Hola, ¿tenéis envío?', undefined, 'Ana');
    const inRecord = await recordOf(wamid);
    expect(inRecord).toMatchObject({
      status: 'synced',
      direction: 'in',
      crmContactId: anaId,
      contactCreated: false,
    });
    const outboxId = await send(ANA, '¡Sí, a toda España!');
    const outRecord = await recordOf(outboxId);
    expect(outRecord).toMatchObject({ status: 'synced', direction: 'out', crmContactId: anaId });

    const inNotes = notesWith(wamid);
    const outNotes = notesWith(outboxId);
    expect(inNotes).toHaveLength(1);
    expect(outNotes).toHaveLength(1);
    expect(inNotes[0]!.properties.hs_note_body).toBe(
      `WhatsApp ← +${ANA} (Ana): Hola, ¿tenéis envío?\n[${wamid}]`,
    );
    expect(outNotes[0]!.properties.hs_note_body).toBe(
      `WhatsApp → +${ANA}: ¡Sí, a toda España!\n[${outboxId}]`,
    );
    for (const note of [...inNotes, ...outNotes])
      expect(note.associations).toEqual([
        { to: { id: anaId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] },
      ]);
    expect(inRecord.crmRecordId).toBe(inNotes[0]!.id);
    // The request carried the stored token (applied by the host), and the API never shows it.
    const noteRequest = hubspot.requests.find((r) => r.path === '/crm/v3/objects/notes')!;
    expect(noteRequest.headers.authorization).toBe(`Bearer ${HUBSPOT_TOKEN}`);
    expect(JSON.stringify(await records())).not.toContain(HUBSPOT_TOKEN);

    // Meta delivering the same webhook again, and the message's later statuses (delivered, read), add nothing.
    await write(ANA, 'Hola, ¿tenéis envío?', wamid, 'Ana');
    await eventually(
      async () => (await s.api(`/api/messages/${outboxId}`)).body.status === 'read' || undefined,
    );
    await settle();
    expect(notesWith(wamid)).toHaveLength(1);
    expect(notesWith(outboxId)).toHaveLength(1);
    expect((await records()).filter((r) => [wamid, outboxId].includes(r.messageId))).toHaveLength(2);
  });

  it('creates the contact when HubSpot does not know the number, once', async () => {
    const phone = '34600333444';
    const wamid = await write(phone, 'Quiero información', undefined, 'Marta');
    const record = await recordOf(wamid);
    expect(record).toMatchObject({ status: 'synced', contactCreated: true });
    const created = [...hubspot.contacts.values()].filter((c) => c.properties.phone === `+${phone}`);
    expect(created).toHaveLength(1);
    expect(created[0]!.properties.firstname).toBe('Marta');
    expect(record.crmContactId).toBe(created[0]!.id);
    const second = await write(phone, 'Gracias', undefined, 'Marta');
    expect(await recordOf(second)).toMatchObject({
      status: 'synced',
      contactCreated: false,
      crmContactId: created[0]!.id,
    });
    expect([...hubspot.contacts.values()].filter((c) => c.properties.phone === `+${phone}`)).toHaveLength(1);
  });

  it('retries through a HubSpot outage and then logs the message once, without a second contact', async () => {
    const phone = '34600555666';
    // The contact is found missing and created; then HubSpot is down for the note, three times.
    hubspot.failNextOn('/crm/v3/objects/notes', 3, 503);
    const wamid = await write(phone, 'Hola');
    const record = await recordOf(wamid);
    expect(record).toMatchObject({ status: 'synced', attempts: 4, contactCreated: true });
    const noteTries = hubspot.requests.filter(
      (r) => r.path === '/crm/v3/objects/notes' && r.raw.includes(wamid),
    );
    expect(noteTries.map((r) => r.injected)).toEqual([true, true, true, false]);
    expect(notesWith(wamid)).toHaveLength(1);
    // The contact made on the first attempt was kept: no search or creation on the retries.
    expect([...hubspot.contacts.values()].filter((c) => c.properties.phone === `+${phone}`)).toHaveLength(1);
    expect(
      hubspot.requests.filter((r) => r.path === '/crm/v3/objects/contacts' && r.raw.includes(phone)),
    ).toHaveLength(1);
  });

  it('a wrong credential makes the record dead at once, with HubSpot’s error; a replay logs it once fixed', async () => {
    await setSync({ provider: 'hubspot', credential: 'hubspot-wrong' });
    const wamid = await write(ANA, 'Otra pregunta');
    const dead = await recordOf(wamid);
    expect(dead.status).toBe('dead');
    expect(dead.attempts).toBe(1);
    expect(dead.lastError).toContain('answered 401');
    expect((await records('?status=dead')).map((r) => r.id)).toContain(dead.id);
    await setSync({ provider: 'hubspot', credential: 'hubspot' });
    const replay = await s.api(`/api/channels/default/crm-sync/records/${dead.id}/replay`, {
      method: 'POST',
    });
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await recordOf(wamid)).toMatchObject({ status: 'synced', attempts: 1 });
    expect(notesWith(wamid)).toHaveLength(1);
    // A synced record cannot be replayed into a second note.
    const again = await s.api(`/api/channels/default/crm-sync/records/${dead.id}/replay`, { method: 'POST' });
    expect(again.status).toBe(404);
    expect((await s.api('/api/channels/default/crm-sync/replay-dead', { method: 'POST' })).body).toEqual({
      replayed: 0,
    });
  });

  it('logs messages as WhatsApp communications when asked', async () => {
    await setSync({ provider: 'hubspot', credential: 'hubspot', logAs: 'communication' });
    const wamid = await write(ANA, 'Por WhatsApp');
    expect((await recordOf(wamid)).status).toBe('synced');
    const logged = hubspot.communications.filter((c) => c.properties.hs_communication_body?.includes(wamid));
    expect(logged).toHaveLength(1);
    expect(logged[0]!.properties).toMatchObject({
      hs_communication_channel_type: 'WHATS_APP',
      hs_communication_logged_from: 'CRM',
    });
    expect(logged[0]!.associations[0]).toMatchObject({
      to: { id: anaId },
      types: [{ associationTypeId: 81 }],
    });
    expect(notesWith(wamid)).toHaveLength(0);
  });
});

describe('CRM timeline sync, Bitrix24', () => {
  it('logs inbound and outbound messages once each as timeline comments on the contact', async () => {
    expect(await setSync({ provider: 'bitrix24', credential: 'bitrix' })).toMatchObject({ logAs: 'comment' });
    const wamid = await write(LUIS, 'Buenas tardes', undefined, 'Luis');
    expect(await recordOf(wamid)).toMatchObject({
      status: 'synced',
      crmContactId: luisId,
      provider: 'bitrix24',
    });
    const outboxId = await send(LUIS, 'Hola Luis');
    expect(await recordOf(outboxId)).toMatchObject({ status: 'synced', crmContactId: luisId });
    await write(LUIS, 'Buenas tardes', wamid, 'Luis');
    await settle();
    const on = (id: string) => bitrix.comments.filter((c) => String(c.COMMENT).includes(id));
    expect(on(wamid)).toHaveLength(1);
    expect(on(outboxId)).toHaveLength(1);
    expect(on(wamid)[0]).toMatchObject({
      ENTITY_ID: Number(luisId),
      ENTITY_TYPE: 'contact',
      COMMENT: `WhatsApp ← +${LUIS} (Luis): Buenas tardes\n[${wamid}]`,
    });
    expect(String(on(outboxId)[0]!.COMMENT)).toBe(`WhatsApp → +${LUIS}: Hola Luis\n[${outboxId}]`);
  });

  it('creates the contact when missing and rides out an outage without duplicates', async () => {
    const phone = '573009990000';
    bitrix.failNextOn('/rest/7/b24CrmSyncCode7788/crm.contact.list.json', 2, 503);
    const wamid = await write(phone, 'Hola', undefined, 'Sofía');
    const record = await recordOf(wamid);
    expect(record).toMatchObject({ status: 'synced', contactCreated: true });
    expect(record.attempts).toBeGreaterThan(1);
    const created = [...bitrix.contacts.values()].filter((c) =>
      (c.PHONE as Loose[] | undefined)?.some((p) => p.VALUE === `+${phone}`),
    );
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ NAME: 'Sofía', ID: record.crmContactId });
    expect(bitrix.comments.filter((c) => String(c.COMMENT).includes(wamid))).toHaveLength(1);
  });

  it('a webhook URL Bitrix24 refuses makes the record dead, and its error never shows the URL’s code', async () => {
    await credential('bitrix-old', 'bitrix24', { webhookUrl: `${bitrix.url}/rest/7/revokedCode0000111/` });
    await setSync({ provider: 'bitrix24', credential: 'bitrix-old' });
    const wamid = await write(LUIS, 'Hola otra vez');
    const dead = await recordOf(wamid);
    expect(dead).toMatchObject({ status: 'dead', attempts: 1 });
    expect(dead.lastError).toContain('answered 401');
    expect(dead.lastError).toContain('Invalid request credentials');
    expect(JSON.stringify(await records())).not.toContain('revokedCode0000111');
    await setSync({ provider: 'bitrix24', credential: 'bitrix' });
    expect((await s.api('/api/channels/default/crm-sync/replay-dead', { method: 'POST' })).body).toEqual({
      replayed: 1,
    });
    expect(await recordOf(wamid)).toMatchObject({ status: 'synced', crmContactId: luisId });
    expect(bitrix.comments.filter((c) => String(c.COMMENT).includes(wamid))).toHaveLength(1);
  });
});

describe('CRM sync settings API', () => {
  it('refuses an unknown credential, one of another type, and an unknown channel, naming what is wrong', async () => {
    const unknown = await s.api('/api/channels/default/crm-sync', {
      method: 'PUT',
      json: { provider: 'hubspot', credential: 'nope' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.problems).toEqual([
      { path: '$.body.credential', message: 'no stored credential "nope"' },
    ]);
    const wrongType = await s.api('/api/channels/default/crm-sync', {
      method: 'PUT',
      json: { provider: 'hubspot', credential: 'bitrix' },
    });
    expect(wrongType.body.message).toBe(
      'credential "bitrix" is of type bitrix24; hubspot needs a hubspot credential',
    );
    const badProvider = await s.api('/api/channels/default/crm-sync', {
      method: 'PUT',
      json: { provider: 'salesforce', credential: 'bitrix' },
    });
    expect(badProvider.status).toBe(400);
    expect(JSON.stringify(badProvider.body.problems)).toContain('must be one of hubspot, bitrix24');
    const noChannel = await s.api('/api/channels/ventas/crm-sync', {
      method: 'PUT',
      json: { provider: 'hubspot', credential: 'hubspot' },
    });
    expect(noChannel.status).toBe(404);
  });

  it('turned off, a channel’s messages are not logged', async () => {
    await setSync({ provider: 'hubspot', credential: 'hubspot', enabled: false });
    const before = hubspot.notes.length;
    const wamid = await write(ANA, 'Sin registro');
    await settle();
    expect((await records()).some((r) => r.messageId === wamid)).toBe(false);
    expect((await s.api('/api/channels/default/crm-sync', { method: 'DELETE' })).status).toBe(204);
    expect((await s.api('/api/channels/default/crm-sync')).body).toEqual({ setting: null });
    expect((await s.api('/api/channels/nope/crm-sync')).status).toBe(404);
    await write(ANA, 'Tampoco');
    await settle();
    expect(hubspot.notes.length).toBe(before);
  });
});
