import { createHmac } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryDelayMs } from '../src/subscriptions/index.js';
import { type CapturedServer, startCapturedServer } from './captured-server.js';
import { testDatabaseEnv } from './in-process.js';
import { routeTo, setUpTeams } from './inbox-helpers.js';
import { tempDir } from './process-helpers.js';
import {
  eventually,
  flowDoc,
  inbound,
  type Loose,
  logNode,
  metaBytes,
  startWhatsAppServer,
} from './wa-helpers.js';

/** A receiver on 127.0.0.1 that answers each request with `answer(n)` (n from 1) and keeps what came. */
async function receiver(answer: (n: number) => number) {
  const got: Array<{ path: string; headers: IncomingHttpHeaders; body: string; status: number }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = answer(got.length + 1);
      got.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
      });
      res.writeHead(status).end(status < 300 ? 'ok' : 'not now');
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/switchboard`,
    got,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** What a receiver checks, written out independently of the server's code. */
function validSignature(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const header = String(headers['x-switchboard-signature']);
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const [, t, v1] = match;
  const fresh = Math.abs(Date.now() / 1000 - Number(t)) <= 300;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return fresh && v1 === expected && headers['x-switchboard-timestamp'] === t;
}

const FAST = { SWITCHBOARD_SUBSCRIPTION_BACKOFF_MS: '10' };

describe('subscription deliveries', () => {
  it('an endpoint that fails 5 times then succeeds receives the event once, signed', async () => {
    const r = await receiver((n) => (n <= 5 ? 500 : 204));
    const s = await startWhatsAppServer(FAST);
    try {
      const created = await s.api('/api/subscriptions', {
        method: 'POST',
        json: { url: r.url, eventTypes: ['message.received'], description: 'crm' },
      });
      expect(created.status).toBe(201);
      const { id, secret } = created.body as { id: string; secret: string };
      const at = new Date().toISOString();
      const hook = await s.hook(
        metaBytes(inbound('34600000001', 'wamid.sub1', at, { type: 'text', text: { body: 'Hola' } })),
      );
      expect(hook.status).toBe(200);
      const delivered = await eventually(async () => {
        const list = await s.api(`/api/subscriptions/${id}/deliveries`);
        const d = list.body.items?.[0];
        return d?.status === 'delivered' ? d : undefined;
      });
      expect(r.got.map((g) => g.status)).toEqual([500, 500, 500, 500, 500, 204]);
      expect(delivered.attempts).toBe(6);
      expect(delivered.log.map((a: Loose) => a.httpStatus)).toEqual([500, 500, 500, 500, 500, 204]);
      // The same event every time (one body, one delivery id): the receiver takes it once.
      expect(new Set(r.got.map((g) => g.body)).size).toBe(1);
      expect(new Set(r.got.map((g) => g.headers['x-switchboard-delivery'])).size).toBe(1);
      const last = r.got.at(-1)!;
      expect(validSignature(secret, last.headers, last.body)).toBe(true);
      expect(validSignature('another-secret-0123456789', last.headers, last.body)).toBe(false);
      expect(last.headers['x-switchboard-event']).toBe('message.received');
      expect(last.headers['x-switchboard-delivery']).toBe(delivered.id);
      const event = JSON.parse(last.body);
      expect(event).toMatchObject({
        id: delivered.eventId,
        type: 'message.received',
        occurredAt: expect.any(String),
        data: { channel: 'default', waId: '34600000001', messageId: 'wamid.sub1', message: { text: 'Hola' } },
      });
      // Meta sending the same webhook again owes nothing more.
      await s.hook(
        metaBytes(inbound('34600000001', 'wamid.sub1', at, { type: 'text', text: { body: 'Hola' } })),
      );
      await new Promise((done) => setTimeout(done, 300));
      expect((await s.api(`/api/subscriptions/${id}/deliveries`)).body.items).toHaveLength(1);
      expect(r.got).toHaveLength(6);
    } finally {
      await s.close();
      await r.close();
    }
  });

  it('an endpoint that never succeeds ends dead after the retry window, and replays on demand', async () => {
    let up = false;
    const r = await receiver(() => (up ? 200 : 503));
    const s = await startWhatsAppServer({ ...FAST, SWITCHBOARD_SUBSCRIPTION_RETRY_WINDOW_MS: '400' });
    try {
      const { id, secret } = (
        await s.api('/api/subscriptions', {
          method: 'POST',
          json: { url: r.url, eventTypes: ['run.failed'] },
        })
      ).body as { id: string; secret: string };
      const ping = await s.api(`/api/subscriptions/${id}/test`, { method: 'POST' });
      expect(ping.status).toBe(202);
      const dead = await eventually(async () => {
        const list = await s.api(`/api/subscriptions/${id}/deliveries?status=dead`);
        return list.body.items?.[0];
      });
      expect(dead.id).toBe(ping.body.id);
      expect(dead.attempts).toBeGreaterThan(1);
      expect(dead.lastHttpStatus).toBe(503);
      expect(dead.log.at(-1)).toMatchObject({ httpStatus: 503, error: 'HTTP 503' });
      const tried = r.got.length;
      await new Promise((done) => setTimeout(done, 200));
      expect(r.got).toHaveLength(tried); // dead: no more attempts until a replay

      up = true;
      const replay = await s.api(`/api/subscriptions/${id}/deliveries/${dead.id}/replay`, { method: 'POST' });
      expect(replay.status).toBe(202);
      expect(replay.body).toMatchObject({ status: 'pending', attempts: 0 });
      await eventually(
        async () =>
          (await s.api(`/api/subscriptions/${id}/deliveries`)).body.items?.[0]?.status === 'delivered' ||
          undefined,
      );
      const last = r.got.at(-1)!;
      expect(last.status).toBe(200);
      expect(last.headers['x-switchboard-event']).toBe('ping');
      expect(validSignature(secret, last.headers, last.body)).toBe(true);
      expect(JSON.parse(last.body).id).toBe(dead.eventId);
      // A delivery being or already replayed cannot be replayed into two.
      const again = await s.api(`/api/subscriptions/${id}/replay-dead`, { method: 'POST' });
      expect(again.body).toEqual({ replayed: 0 });
    } finally {
      await s.close();
      await r.close();
    }
  });

  it('replays every dead delivery at once from the dead-letter list, each delivered once, signed', async () => {
    let up = false;
    const r = await receiver(() => (up ? 204 : 500));
    const s = await startWhatsAppServer({ ...FAST, SWITCHBOARD_SUBSCRIPTION_RETRY_WINDOW_MS: '300' });
    try {
      const { id, secret } = (
        await s.api('/api/subscriptions', {
          method: 'POST',
          json: { url: r.url, eventTypes: ['message.received'] },
        })
      ).body as { id: string; secret: string };
      const at = new Date().toISOString();
      for (const wamid of ['wamid.dead1', 'wamid.dead2'])
        await s.hook(metaBytes(inbound('34600000009', wamid, at, { type: 'text', text: { body: wamid } })));
      const dead = await eventually(async () => {
        const items = (await s.api(`/api/subscriptions/${id}/deliveries?status=dead`)).body.items;
        return items?.length === 2 ? items : undefined;
      });
      up = true;
      const failedBefore = r.got.length;
      const replayed = await s.api(`/api/subscriptions/${id}/replay-dead`, { method: 'POST' });
      expect(replayed.body).toEqual({ replayed: 2 });
      await eventually(async () => {
        const items = (await s.api(`/api/subscriptions/${id}/deliveries?status=delivered`)).body.items;
        return items?.length === 2 || undefined;
      });
      const after = r.got.slice(failedBefore);
      expect(after.map((g) => g.status)).toEqual([204, 204]);
      expect(new Set(after.map((g) => JSON.parse(g.body).id))).toEqual(
        new Set(dead.map((d: Loose) => d.eventId)),
      );
      for (const g of after) expect(validSignature(secret, g.headers, g.body)).toBe(true);
      expect((await s.api(`/api/subscriptions/${id}/deliveries?status=dead`)).body.items).toEqual([]);
    } finally {
      await s.close();
      await r.close();
    }
  });

  it('a run that fails is delivered as run.failed to its subscribers', async () => {
    const r = await receiver(() => 200);
    const s = await startWhatsAppServer(FAST);
    try {
      const { id } = (
        await s.api('/api/subscriptions', {
          method: 'POST',
          json: { url: r.url, eventTypes: ['run.failed'] },
        })
      ).body as { id: string };
      await s.install(
        flowDoc('fails', [logNode('boom', '{{ (() => { throw new Error("boom") })() }}')], ['start->boom']),
      );
      const runId = await s.startRun('fails', {});
      expect((await s.settled(runId)).status).toBe('failed');
      await eventually(() => r.got.length > 0 || undefined);
      const event = JSON.parse(r.got[0]!.body);
      expect(event).toMatchObject({ type: 'run.failed', data: { runId, flowId: 'fails' } });
      const deliveries = (await s.api(`/api/subscriptions/${id}/deliveries`)).body.items;
      expect(deliveries).toHaveLength(1);
    } finally {
      await s.close();
      await r.close();
    }
  });
  it('status changes of our messages and opt-outs are delivered, each to the subscription that asked', async () => {
    const r = await receiver(() => 200);
    const s = await startWhatsAppServer(FAST);
    try {
      await s.api('/api/subscriptions', {
        method: 'POST',
        json: { url: `${r.url}?statuses`, eventTypes: ['message.status'] },
      });
      await s.api('/api/subscriptions', {
        method: 'POST',
        json: { url: `${r.url}?consent`, eventTypes: ['contact.opted_out'] },
      });
      const wrote = await s.api('/api/sandbox/messages', {
        method: 'POST',
        json: { from: '34600000003', name: 'Cliente', text: 'hola' },
      });
      expect(wrote.body.ingressStatus).toBe(200);
      await eventually(
        async () => (await s.api('/api/contacts/34600000003')).body.lastInboundAt ?? undefined,
      );
      const sent = await s.api('/api/messages', {
        method: 'POST',
        json: { to: '34600000003', message: { type: 'text', text: '¡Hola!' } },
      });
      expect(sent.status).toBe(202);
      const statuses = await eventually(() => {
        const got = r.got.filter((g) => g.headers['x-switchboard-event'] === 'message.status');
        return got.length >= 3 ? got.map((g) => JSON.parse(g.body)) : undefined;
      });
      expect(new Set(statuses.map((e: Loose) => e.data.status))).toEqual(
        new Set(['sent', 'delivered', 'read']),
      );
      expect(statuses.every((e: Loose) => e.data.outboxId === sent.body.id)).toBe(true);
      await s.api('/api/sandbox/messages', { method: 'POST', json: { from: '34600000004', text: 'BAJA' } });
      const optOut = await eventually(() =>
        r.got.find((g) => g.headers['x-switchboard-event'] === 'contact.opted_out'),
      );
      expect(JSON.parse(optOut.body).data).toMatchObject({ waId: '34600000004', source: 'keyword' });
      // Each subscription got only what it asked for (the receiver's URL tells them apart).
      for (const g of r.got)
        expect(g.path).toBe(
          g.headers['x-switchboard-event'] === 'message.status'
            ? '/switchboard?statuses'
            : '/switchboard?consent',
        );
    } finally {
      await s.close();
      await r.close();
    }
  });

  it('conversations given to an agent and closed are delivered as conversation events', async () => {
    const r = await receiver(() => 200);
    const s = await startWhatsAppServer(FAST);
    try {
      await s.api('/api/subscriptions', {
        method: 'POST',
        json: { url: r.url, eventTypes: ['conversation.assigned', 'conversation.closed'] },
      });
      await setUpTeams(s.rt, s.api);
      const conversationId = await routeTo(s.rt, 'billing', '34600000002');
      await eventually(() => r.got.length >= 1 || undefined);
      const closed = await s.api(`/api/conversations/${conversationId}/close`, { method: 'POST', json: {} });
      expect(closed.status).toBe(200);
      await eventually(() => r.got.length >= 2 || undefined);
      const events = r.got.map((g) => JSON.parse(g.body));
      expect(events.map((e) => [e.type, e.data.conversationId, e.data.agentId, e.data.waId])).toEqual([
        ['conversation.assigned', conversationId, 'ana', '34600000002'],
        ['conversation.closed', conversationId, expect.anything(), '34600000002'],
      ]);
    } finally {
      await s.close();
      await r.close();
    }
  });
});

describe('subscriptions API', () => {
  let s: CapturedServer;
  let dir: string;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    dir = tempDir('sb-subs-');
    const database = await testDatabaseEnv();
    drop = database.drop;
    // Loopback is refused here: no allowlist.
    s = await startCapturedServer(dir, { ...database.env, SWITCHBOARD_HTTP_ALLOWLIST: '' });
  });
  afterAll(async () => {
    await s.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a URL to a private or loopback address, naming the address', async () => {
    const refused = await s.api('/api/subscriptions', {
      method: 'POST',
      json: { url: 'http://10.0.0.5/hook', eventTypes: ['message.received'] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_url');
    expect(refused.body.message).toContain('10.0.0.5 is a private address');
    const loopback = await s.api('/api/subscriptions', {
      method: 'POST',
      json: { url: 'http://127.0.0.1:9/hook', eventTypes: ['message.received'] },
    });
    expect(loopback.body.message).toContain('127.0.0.1 is a loopback address');
    const notUrl = await s.api('/api/subscriptions', {
      method: 'POST',
      json: { url: 'nope', eventTypes: ['message.received'] },
    });
    expect(notUrl.body.message).toBe('url "nope" is not a valid URL');
    expect((await s.api('/api/subscriptions')).body.items).toEqual([]);
  });

  it('refuses an unknown event type, naming the field', async () => {
    const bad = await s.api('/api/subscriptions', {
      method: 'POST',
      json: { url: 'https://1.1.1.1/hook', eventTypes: ['message.recieved'] },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.problems)).toContain('eventTypes');
    expect(JSON.stringify(bad.body.problems)).toContain('must be one of message.received');
  });

  it('shows a secret once, at creation or rotation, and never in answers or logs after', async () => {
    const created = await s.api('/api/subscriptions', {
      method: 'POST',
      json: {
        url: 'https://1.1.1.1/hook',
        eventTypes: ['message.status'],
        secret: 'my-own-secret-0123456789',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBe('my-own-secret-0123456789');
    const id = created.body.id as string;
    const generated = await s.api('/api/subscriptions', {
      method: 'POST',
      json: { url: 'https://1.1.1.1/other', eventTypes: ['run.failed'] },
    });
    expect(generated.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const rotated = await s.api(`/api/subscriptions/${id}/rotate-secret`, { method: 'POST' });
    expect(rotated.status).toBe(200);
    const secrets = [
      'my-own-secret-0123456789',
      generated.body.secret as string,
      rotated.body.secret as string,
    ];
    const seenBefore = s.answers.length;
    const patched = await s.api(`/api/subscriptions/${id}`, { method: 'PATCH', json: { active: false } });
    expect(patched.body).toMatchObject({ id, active: false });
    expect(patched.body).not.toHaveProperty('secret');
    await s.api('/api/subscriptions');
    await s.api(`/api/subscriptions/${id}`);
    await s.api(`/api/subscriptions/${id}/deliveries`);
    await s.api('/api/audit');
    const later = s.answers.slice(seenBefore).join('\n');
    for (const secret of secrets) {
      expect(later).not.toContain(secret);
      expect(s.log.join('\n')).not.toContain(secret);
    }
    expect((await s.api(`/api/subscriptions/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await s.api(`/api/subscriptions/${id}`)).status).toBe(404);
  });

  it('reaching a receiver refused by the guard at delivery time is a failed attempt that says why', async () => {
    // Saved while it pointed somewhere public (written behind the API's back here); the guard checks again at every attempt.
    const { id } = (
      await s.api('/api/subscriptions', {
        method: 'POST',
        json: { url: 'https://1.1.1.1/hook', eventTypes: ['run.failed'] },
      })
    ).body as { id: string };
    await s.rt.database.repos.subscriptions.update(
      id,
      { url: 'http://169.254.169.254/latest' },
      new Date().toISOString(),
    );
    await s.api(`/api/subscriptions/${id}/test`, { method: 'POST' });
    const attempt = await eventually(async () => {
      const d = (await s.api(`/api/subscriptions/${id}/deliveries`)).body.items?.[0];
      return d?.log?.[0];
    });
    expect(attempt).toMatchObject({ httpStatus: null });
    expect(attempt.error).toContain('169.254.169.254 is a cloud metadata address');
  });
});

describe('retry delays', () => {
  it('grow 3× from the base, capped, with ±20% jitter', () => {
    const s = { backoffMs: 10_000, retryWindowMs: 86_400_000, maxBackoffMs: 3_600_000 };
    expect([1, 2, 3, 4, 7, 20].map((n) => retryDelayMs(n, s, () => 0.5))).toEqual([
      10_000, 30_000, 90_000, 270_000, 3_600_000, 3_600_000,
    ]);
    expect(retryDelayMs(1, s, () => 0)).toBe(8_000);
    expect(retryDelayMs(1, s, () => 1)).toBe(12_000);
  });
});
