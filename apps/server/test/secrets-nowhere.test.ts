import { rmSync } from 'node:fs';
import { signBody } from '@switchboard/whatsapp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CapturedServer, dataDirBytes, secretsFound, startCapturedServer } from './captured-server.js';
import { type FakeHubSpot, startFakeHubSpot } from './fakes/fake-hubspot.js';
import { tempDir, waitFor } from './process-helpers.js';
import { type Loose, metaBytes } from './wa-helpers.js';

// The acceptance test of the credentials vault: secrets stored through the API (a WhatsApp channel's
// token, app secret and verify token; a HubSpot token), then used (a signed customer message starts a
// flow that looks the customer up in HubSpot and answers through the channel, whose status webhooks
// are signed with the app secret), appear in no byte of the database files, no log line, no API answer
// and no exported flow.

const CHANNEL = {
  id: 'acme',
  name: 'Acme',
  phoneNumberId: '106540352249999',
  displayPhoneNumber: '15550789999',
  wabaId: '102290129349999',
  accessToken: 'EAAG-SECRET-nowhere-access-7f3c9a1e5b',
  appSecret: 'SECRET-nowhere-app-secret-d41d8c',
  verifyToken: 'SECRET-nowhere-verify-9e107d',
};
const HUBSPOT_TOKEN = 'pat-na1-SECRET-nowhere-hubspot-0b5e';
const SECRETS = [CHANNEL.accessToken, CHANNEL.appSecret, CHANNEL.verifyToken, HUBSPOT_TOKEN];
const ANA = '34600111333';

/** A customer's text message to the Acme number, as Meta posts it. */
function customerMessage(text: string, id: string) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: CHANNEL.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: CHANNEL.displayPhoneNumber,
                phone_number_id: CHANNEL.phoneNumberId,
              },
              contacts: [{ profile: { name: 'Ana' }, wa_id: ANA }],
              messages: [
                {
                  from: ANA,
                  id,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

const greetFlow = {
  schemaVersion: 1,
  id: 'acme-greeting',
  name: 'Acme greeting',
  nodes: [
    {
      id: 'incoming',
      type: 'trigger.whatsappMessage',
      position: { x: 0, y: 0 },
      params: { channel: CHANNEL.id },
    },
    { id: 'lookup', type: 'hubspot.findContact', position: { x: 200, y: 0 }, params: { credential: 'crm' } },
    {
      id: 'greet',
      type: 'whatsapp.sendText',
      position: { x: 400, y: 0 },
      params: { text: 'Hola {{ vars.hubspot.properties.firstname }}' },
    },
  ],
  edges: [
    { id: 'e1', source: 'incoming', target: 'lookup' },
    { id: 'e2', source: 'lookup', sourcePort: 'found', target: 'greet' },
  ],
};

describe('a secret stored through the API', () => {
  const dataDir = tempDir('sb-secrets-');
  let s: CapturedServer;
  let hubspot: FakeHubSpot;
  const logs: string[] = [];
  const answers: string[] = [];
  const exported: string[] = [];
  let closed = false;

  beforeAll(async () => {
    hubspot = await startFakeHubSpot({ token: HUBSPOT_TOKEN });
    hubspot.seedContact({ phone: `+${ANA}`, firstname: 'Ana' });
    s = await startCapturedServer(dataDir, { LOG_LEVEL: 'trace' });
  });
  afterAll(async () => {
    if (!closed) await s?.close();
    await hubspot?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is stored and used: channel secrets and a HubSpot token', async () => {
    const { id, ...channel } = CHANNEL;
    const saved = await s.api(`/api/channels/${id}`, { method: 'PUT', json: channel });
    expect(saved.status).toBe(200);
    expect(saved.body.secrets).toEqual({ accessToken: true, appSecret: true, verifyToken: true });
    const credential = await s.api('/api/credentials', {
      method: 'POST',
      json: { name: 'crm', type: 'hubspot', data: { accessToken: HUBSPOT_TOKEN, baseUrl: hubspot.url } },
    });
    expect(credential.status).toBe(201);
    expect((await s.api('/api/flows', { method: 'POST', json: greetFlow })).status).toBe(201);
    expect((await s.api('/api/flows/acme-greeting/activate', { method: 'POST' })).status).toBe(200);

    // Meta's handshake: the verify token.
    const handshake = await fetch(
      `${s.base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${CHANNEL.verifyToken}&hub.challenge=4242`,
    );
    expect([handshake.status, await handshake.text()]).toEqual([200, '4242']);

    // A customer writes: signed with the app secret; the flow uses the HubSpot token, and answers through
    // the channel with its access token (the sandbox checks it), whose status webhooks the app secret signs.
    const raw = metaBytes(customerMessage('Hola', 'wamid.NOWHERE1'));
    const posted = await fetch(`${s.base}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signBody(raw, CHANNEL.appSecret),
      },
      body: raw,
    });
    expect(posted.status).toBe(200);
    const run = await waitFor(async () => {
      const items = (await s.api('/api/executions?flowId=acme-greeting')).body.items as Loose[];
      const r = items[0] && (await s.api(`/api/executions/${items[0].id}`)).body;
      return r && ['succeeded', 'failed'].includes(r.status) ? r : undefined;
    });
    expect(run.status).toBe('succeeded');
    expect(hubspot.requests.at(-1)!.headers.authorization).toBe(`Bearer ${HUBSPOT_TOKEN}`);
    const message = await waitFor(async () => {
      const items = (await s.api(`/api/messages?waId=${ANA}`)).body.items as Loose[];
      return items[0]?.status === 'read' ? items[0] : undefined;
    });
    expect(message).toMatchObject({ channel: CHANNEL.id, status: 'read' });
    const sends = (await s.api('/api/sandbox/sends')).body.items as Loose[];
    expect(sends.at(-1)).toMatchObject({ phoneNumberId: CHANNEL.phoneNumberId, status: 200 });

    // Every read the API offers on them.
    await s.api('/api/channels');
    await s.api('/api/credentials');
    await s.api('/api/credentials/crm');
    await s.api(`/api/executions/${run.id}`);
    await s.api('/api/executions');
    await s.api('/api/events');
    await s.api(`/api/messages?waId=${ANA}`);
    await s.api('/api/audit?limit=500');
    await s.api('/api/openapi.json');
  });

  it('is in no exported flow', async () => {
    const flows = (await s.api('/api/flows')).body.items as Loose[];
    expect(flows.map((f) => f.id)).toContain('acme-greeting');
    for (const flow of flows) {
      const r = await s.api(`/api/flows/${flow.id}/export`);
      expect(r.status).toBe(200);
      exported.push(r.text);
      for (const v of (await s.api(`/api/flows/${flow.id}/versions`)).body.items as Loose[])
        exported.push((await s.api(`/api/flows/${flow.id}/versions/${v.version}`)).text);
    }
    expect(exported.some((e) => e.includes('"credential": "crm"'))).toBe(true);
    expect(
      secretsFound(
        SECRETS,
        exported.map((content, i) => ({ label: `export ${i}`, content })),
      ),
    ).toEqual([]);
  });

  it('is in no database file, log line or API answer', async () => {
    logs.push(...s.log);
    answers.push(...s.answers);
    const whileRunning = dataDirBytes(dataDir);
    await s.close();
    closed = true;
    const afterStop = dataDirBytes(dataDir);
    // Not vacuous: the answers, log lines and files are there, and hold what was done with the secrets.
    expect(answers.length).toBeGreaterThan(20);
    expect(logs.some((l) => l.includes('"msg":"outbound request"') && l.includes(hubspot.url))).toBe(true);
    expect(whileRunning.map((f) => f.file)).toEqual(
      expect.arrayContaining(['switchboard.db', 'switchboard.db-wal']),
    );
    const files = [...whileRunning, ...afterStop];
    expect(files.some(({ bytes }) => bytes.includes('acme-greeting'))).toBe(true);
    expect(files.some(({ bytes }) => bytes.includes(CHANNEL.phoneNumberId))).toBe(true);
    expect(
      secretsFound(SECRETS, [
        ...files.map(({ file, bytes }) => ({ label: `data dir file ${file}`, content: bytes })),
        ...logs.map((content, i) => ({ label: `log line ${i}`, content })),
        ...answers.map((content, i) => ({ label: `API answer ${i}`, content })),
      ]),
    ).toEqual([]);
  });
});
