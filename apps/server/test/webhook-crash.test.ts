import { readFileSync, rmSync } from 'node:fs';
import { signBody } from '@switchboard/whatsapp';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess, tempDir, waitFor } from './process-helpers.js';
import { APP_SECRET, inbound, type Loose, metaBytes, PHONE_NUMBER_ID } from './wa-helpers.js';

const dirs: string[] = [];
const live: ServerProcess[] = [];
afterAll(() => {
  for (const p of live) p.proc.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const env = {
  SWITCHBOARD_SEED_EXAMPLES: 'false',
  SWITCHBOARD_API_KEY: 'crash-key-0123456789abcdef',
  WHATSAPP_APP_SECRET: APP_SECRET,
  WHATSAPP_VERIFY_TOKEN: 'verify-me',
  WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
};

describe('webhook durability (SIGKILL)', () => {
  it('an event acknowledged with 200 just before a SIGKILL is processed after restart, once', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    // This process kills itself the moment the 200 has been sent, before anything processes the event.
    const a = await startServerProcess(dataDir, {
      ...env,
      SWITCHBOARD_FAULT: 'kill-after-webhook',
      SWITCHBOARD_POLL_MS: '60000',
    });
    live.push(a);
    const raw = metaBytes(
      inbound(
        '34600000077',
        'wamid.crash1',
        new Date().toISOString(),
        { type: 'text', text: { body: '¿Seguís ahí?' } },
        'Marta',
      ),
    );
    const post = (base: string) =>
      fetch(`${base}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, APP_SECRET) },
        body: raw,
      });
    const answer = await post(a.base);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ received: 1, duplicates: 0 });
    expect((await a.exited).signal).toBe('SIGKILL');

    const b = await startServerProcess(dataDir, env);
    live.push(b);
    const contact = await waitFor(async () => {
      const r = await b.api('/api/contacts/34600000077');
      return r.status === 200 ? ((await r.json()) as Loose) : undefined;
    });
    expect(contact).toMatchObject({ name: 'Marta', windowOpen: true });
    const listed = ((await (await b.api('/api/events?waId=34600000077')).json()) as Loose).items;
    expect(listed.map((e: Loose) => [e.event.messageId, e.status])).toEqual([['wamid.crash1', 'processed']]);

    // Meta re-delivers (it never saw our 200 arrive, say): acknowledged, and nothing happens again.
    const again = await post(b.base);
    expect(await again.json()).toEqual({ received: 0, duplicates: 1 });
    const after = ((await (await b.api('/api/events?waId=34600000077')).json()) as Loose).items;
    expect(after).toHaveLength(1);
    b.proc.kill('SIGTERM');
    expect((await b.exited).code).toBe(0);
  });

  it('a run waiting for a customer’s reply survives a SIGKILL and resumes when the reply arrives', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const triage = readFileSync(
      new URL('../../../workflows/support-triage.workflow.json', import.meta.url),
      'utf8',
    );
    const a = await startServerProcess(dataDir, env);
    live.push(a);
    expect((await a.api('/api/flows', { method: 'POST', body: triage })).status).toBe(201);
    await a.api('/api/flows/support-triage/activate', { method: 'POST' });
    const post = (base: string, raw: Buffer) =>
      fetch(`${base}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, APP_SECRET) },
        body: raw,
      });
    await post(
      a.base,
      metaBytes(
        inbound(
          '34600000088',
          'wamid.hello88',
          new Date().toISOString(),
          { type: 'text', text: { body: 'hola' } },
          'Pau',
        ),
      ),
    );
    const run = await waitFor(async () => {
      const items = ((await (await a.api('/api/executions?flowId=support-triage')).json()) as Loose).items;
      return items[0]?.status === 'waiting' ? items[0] : undefined;
    });
    a.proc.kill('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');

    const b = await startServerProcess(dataDir, env);
    live.push(b);
    const tap = {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'sales', title: 'Ventas / Sales' } },
    };
    await post(
      b.base,
      metaBytes(inbound('34600000088', 'wamid.tap88', new Date().toISOString(), tap, 'Pau')),
    );
    const done = await waitFor(async () => {
      const r = (await (await b.api(`/api/executions/${run.id}`)).json()) as Loose;
      return r.status === 'succeeded' ? r : undefined;
    });
    expect(done.steps.filter((x: Loose) => x.status === 'succeeded').map((x: Loose) => x.nodeId)).toEqual([
      'incoming',
      'is-billing',
      'menu',
      'to-sales',
    ]);
    const messages = ((await (await b.api('/api/messages?waId=34600000088')).json()) as Loose).items;
    expect(messages.map((m: Loose) => m.payload.type).sort()).toEqual(['buttons', 'text']);
    b.proc.kill('SIGKILL');
  });
});
