import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startFakeSlack } from './fakes/fake-slack.js';
import { eventually, flowDoc, inbound, type Loose, metaBytes, startWhatsAppServer } from './wa-helpers.js';

/** An alert receiver on 127.0.0.1 that answers 200 and keeps every notice. */
async function alertReceiver() {
  const got: Array<{ headers: IncomingHttpHeaders; body: Loose }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200).end('ok');
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    got,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// Short buckets, window and evaluation interval, so incidents open and resolve within seconds.
const FAST = {
  SWITCHBOARD_MONITORING_BUCKET_MS: '200',
  SWITCHBOARD_ALERT_WINDOW_MS: '3000',
  SWITCHBOARD_ALERT_EVAL_MS: '100',
};

type Server_ = Awaited<ReturnType<typeof startWhatsAppServer>>;

/** A customer's message through the signed webhook: opens the 24-hour window for replies. */
async function customerWrites(s: Server_, waId: string, wamid: string) {
  const r = await s.hook(
    metaBytes(inbound(waId, wamid, new Date().toISOString(), { type: 'text', text: { body: 'hola' } })),
  );
  expect(r.status).toBe(200);
  await eventually(async () => (await s.api(`/api/contacts/${waId}`)).body.lastInboundAt ?? undefined);
}

async function reply(s: Server_, to: string) {
  const sent = await s.api('/api/messages', {
    method: 'POST',
    json: { to, message: { type: 'text', text: 'ok' } },
  });
  expect(sent.status).toBe(202);
  return sent.body.id as string;
}

const statusOf = async (s: Server_, id: string) => (await s.api(`/api/messages/${id}`)).body.status as string;

/**
 * Each customer writes, then the fake Cloud API refuses the reply to each with a permanent error: every
 * message fails once, so the send failure ratio is 100%.
 */
async function failedReplies(s: Server_, waIds: string[], tag: string) {
  for (const [i, waId] of waIds.entries()) await customerWrites(s, waId, `wamid.${tag}${i + 1}`);
  await s.api('/api/sandbox/faults', {
    method: 'POST',
    json: {
      faults: waIds.map(() => ({ status: 400, code: 131026, message: 'undeliverable' })),
    },
  });
  const ids = [];
  for (const waId of waIds) ids.push(await reply(s, waId));
  for (const id of ids)
    await eventually(async () => ((await statusOf(s, id)) === 'failed' ? true : undefined));
}

describe('alert rules', () => {
  it('fire once on send failures from the Cloud API, resolve once after they stop, and a restart re-notifies nothing', async () => {
    const r = await alertReceiver();
    let s = await startWhatsAppServer(FAST);
    try {
      const created = await s.api('/api/alerts', {
        method: 'POST',
        json: {
          name: 'failed sends',
          metric: 'send_failure_ratio',
          comparison: '>',
          threshold: 5,
          durationSeconds: 1,
          notify: { kind: 'http', target: r.url },
        },
      });
      expect(created.status).toBe(201);
      const rule = created.body;
      expect(rule).toMatchObject({ enabled: true, notify: { kind: 'http', target: r.url } });
      await failedReplies(s, ['34610000001', '34610000002', '34610000003', '34610000004'], 'al');

      const firing = await eventually(async () => r.got[0], 10_000);
      expect(firing.headers['x-switchboard-alert']).toBe('firing');
      expect(firing.body).toMatchObject({
        type: 'alert.firing',
        incident: {
          ruleId: rule.id,
          ruleName: 'failed sends',
          metric: 'send_failure_ratio',
          status: 'open',
          openedValue: 100,
        },
      });
      expect(firing.body.text).toMatch(/Alert firing: failed sends/);
      // The failures stopped: once the window holds none, the incident resolves, and says so once.
      const resolved = await eventually(async () => r.got[1], 15_000);
      expect(resolved.body).toMatchObject({
        type: 'alert.resolved',
        incident: { id: firing.body.incident.id, status: 'resolved', resolvedValue: 0 },
      });
      await sleep(800);
      expect(r.got).toHaveLength(2);
      const incidents = (await s.api('/api/alerts/incidents')).body.items;
      expect(incidents).toHaveLength(1);
      expect(incidents[0]).toMatchObject({
        id: firing.body.incident.id,
        status: 'resolved',
        firingNotifiedAt: expect.any(String),
        resolvedNotifiedAt: expect.any(String),
        lastNoticeError: null,
      });

      // A restart on the same database sends nothing again.
      const dataDir = s.dataDir;
      await s.close();
      s = await startWhatsAppServer({ ...FAST, SWITCHBOARD_DATA_DIR: dataDir });
      await sleep(1000);
      expect(r.got).toHaveLength(2);
      expect((await s.api('/api/alerts/incidents')).body.items).toHaveLength(1);
    } finally {
      await s.close();
      await r.close();
    }
  });

  it('post to a Slack incoming webhook once when firing and once when resolved, the rule name escaped', async () => {
    const slack = await startFakeSlack();
    const s = await startWhatsAppServer(FAST);
    try {
      const stored = await s.api('/api/credentials', {
        method: 'POST',
        json: { name: 'ops-slack', type: 'slack', data: { webhookUrl: slack.webhookUrl } },
      });
      expect(stored.status).toBe(201);
      const created = await s.api('/api/alerts', {
        method: 'POST',
        json: {
          // Slack reads `<!channel>` as a mention of everyone and `&` as an entity: a rule name must not.
          name: 'sends <!channel> & co',
          metric: 'send_failure_ratio',
          comparison: '>',
          threshold: 5,
          durationSeconds: 1,
          notify: { kind: 'slack', target: 'ops-slack' },
        },
      });
      expect(created.status).toBe(201);
      // The rule names the credential, never the webhook URL (the URL is the secret).
      expect(JSON.stringify(created.body)).not.toContain(slack.webhookUrl);
      await failedReplies(s, ['34611000001', '34611000002', '34611000003'], 'sl');

      const firing = await eventually(async () => slack.messages[0], 10_000);
      const link = `${s.base}/monitoring`;
      expect(firing).toEqual({
        text: expect.stringMatching(
          /^:rotating_light: \*Alert firing: sends &lt;!channel&gt; &amp; co\* \(send_failure_ratio &gt; 5%; now 100%\) since \S+\. <[^|>]+\/monitoring\|Open monitoring>$/,
        ),
      });
      expect(firing.text).toContain(`<${link}|`);
      const resolved = await eventually(async () => slack.messages[1], 15_000);
      expect(resolved.text).toMatch(
        /^:white_check_mark: \*Alert resolved: sends &lt;!channel&gt; &amp; co\* \(send_failure_ratio &gt; 5%; now 0%\) at \S+, open since \S+\. </,
      );
      await sleep(800);
      // Once each: the fake saw exactly two posts, both to the webhook's path.
      expect(slack.requests.map((r) => [r.method, r.path])).toEqual([
        ['POST', new URL(slack.webhookUrl).pathname],
        ['POST', new URL(slack.webhookUrl).pathname],
      ]);
      const [incident] = (await s.api('/api/alerts/incidents')).body.items;
      expect(incident).toMatchObject({
        status: 'resolved',
        firingNotifiedAt: expect.any(String),
        resolvedNotifiedAt: expect.any(String),
        lastNoticeError: null,
      });
    } finally {
      await s.close();
      await slack.close();
    }
  });

  it('checks rules: metric names, comparisons, and that a Slack target is a stored Slack credential', async () => {
    const s = await startWhatsAppServer();
    try {
      const bad = await s.api('/api/alerts', {
        method: 'POST',
        json: {
          name: 'x',
          metric: 'nope',
          comparison: '!=',
          threshold: 1,
          durationSeconds: 0,
          notify: { kind: 'http', target: 'https://example.com' },
        },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.problems.map((p: Loose) => p.path).sort()).toEqual([
        '$.body.comparison',
        '$.body.metric',
      ]);
      const slack = await s.api('/api/alerts', {
        method: 'POST',
        json: {
          name: 'x',
          metric: 'events_pending',
          comparison: '>',
          threshold: 100,
          durationSeconds: 60,
          notify: { kind: 'slack', target: 'ops' },
        },
      });
      expect(slack.status).toBe(422);
      expect(slack.body.problems).toEqual([
        { path: '$.body.notify.target', message: 'no credential named "ops"' },
      ]);
      const ok = await s.api('/api/alerts', {
        method: 'POST',
        json: {
          name: 'backlog',
          metric: 'oldest_event_age_seconds',
          comparison: '>',
          threshold: 60,
          durationSeconds: 0,
          notify: { kind: 'http', target: 'https://example.com/hook' },
        },
      });
      expect(ok.status).toBe(201);
      const patched = await s.api(`/api/alerts/${ok.body.id}`, {
        method: 'PATCH',
        json: { enabled: false, threshold: 120 },
      });
      expect(patched.body).toMatchObject({ enabled: false, threshold: 120 });
      expect((await s.api('/api/alerts')).body.items.map((r: Loose) => r.id)).toEqual([ok.body.id]);
      expect((await s.api(`/api/alerts/${ok.body.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await s.api(`/api/alerts/${ok.body.id}`)).status).toBe(404);
    } finally {
      await s.close();
    }
  });
});

describe('GET /api/monitoring', () => {
  it('reports a known load: webhook events, sends by outcome, errors by code, runs waiting; same as /metrics', async () => {
    const s = await startWhatsAppServer({ SWITCHBOARD_MONITORING_BUCKET_MS: '200' });
    try {
      for (let i = 1; i <= 5; i++) await customerWrites(s, `3462000000${i}`, `wamid.mon${i}`);
      // Meta delivering one of them again: a duplicate, not a new event.
      await s.hook(
        metaBytes(
          inbound('34620000001', 'wamid.mon1', new Date().toISOString(), {
            type: 'text',
            text: { body: 'hola' },
          }),
        ),
      );
      await s.api('/api/sandbox/faults', {
        method: 'POST',
        json: {
          faults: [
            { status: 400, code: 131026, message: 'undeliverable' },
            { status: 400, code: 131026, message: 'undeliverable' },
          ],
        },
      });
      const failing = [await reply(s, '34620000001'), await reply(s, '34620000002')];
      for (const id of failing)
        await eventually(async () => ((await statusOf(s, id)) === 'failed' ? true : undefined));
      const ok = [
        await reply(s, '34620000003'),
        await reply(s, '34620000004'),
        await reply(s, '34620000005'),
      ];
      // The sandbox answers each accepted message with three status webhooks (sent, delivered, read).
      for (const id of ok)
        await eventually(async () => ((await statusOf(s, id)) === 'read' ? true : undefined));
      await s.install(
        flowDoc(
          'parked',
          [{ id: 'pause', type: 'flow.delay', params: { amount: 1, unit: 'hours' } }],
          ['start->pause'],
        ),
      );
      const runId = await s.startRun('parked', {});
      await eventually(async () => ((await s.execution(runId)).status === 'waiting' ? true : undefined));

      const m = await eventually(async () => {
        const got = (await s.api('/api/monitoring?minutes=5&step=1')).body;
        return got.totals.webhookEvents === 5 + 3 * 3 && got.totals.sendsAccepted === 3 ? got : undefined;
      }, 10_000);
      expect(m.stepSeconds).toBe(1);
      expect(m.bucketSeconds).toBe(0.2);
      expect(m.totals).toEqual({
        webhookEvents: 14,
        sendsAccepted: 3,
        sendsRetried: 0,
        sendsFailed: 2,
        runsFailed: 0,
        subscriptionFailures: 0,
        errors: [{ code: '131026', count: 2 }],
      });
      expect(m.now).toMatchObject({
        runsWaiting: 1,
        eventsPending: 0,
        oldestEventAgeSeconds: 0,
        outboxQueued: 0,
        openIncidents: 0,
      });
      expect(m.sendLimitPerSecond).toBeGreaterThan(0);
      // The series covers five minutes in one-second steps, and adds up to the totals.
      expect(m.series.length).toBeGreaterThanOrEqual(300);
      const sum = (k: string) => m.series.reduce((n: number, p: Loose) => n + p[k], 0);
      expect(sum('webhookDuplicates')).toBe(1);
      expect(sum('sendsFailed')).toBe(2);
      expect(m.series.some((p: Loose) => p.webhookLatencyMs !== null && p.webhookLatencyMs > 0)).toBe(true);
      // The run started, and waiting in the gauge samples too (a worker samples the database each bucket).
      await eventually(async () => {
        const got = (await s.api('/api/monitoring?minutes=1&step=1')).body;
        const started = got.series.reduce((n: number, p: Loose) => n + p.runsStarted, 0);
        return started === 1 && got.series.some((p: Loose) => p.runsWaiting === 1) ? true : undefined;
      });

      // Every figure is a Prometheus metric with the same count.
      const metrics = await (await fetch(`${s.base}/metrics`)).text();
      const value = (series: string) => {
        const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
        return line ? Number(line.split(' ')[1]) : undefined;
      };
      expect(value('switchboard_send_errors_total{code="131026"}')).toBe(2);
      expect(value('switchboard_outbox_sends_total{outcome="failed"}')).toBe(2);
      expect(value('switchboard_outbox_sends_total{outcome="accepted"}')).toBe(3);
      expect(value('switchboard_webhook_events_total{type="message.received",duplicate="false"}')).toBe(5);
      expect(value('switchboard_webhook_events_total{type="message.received",duplicate="true"}')).toBe(1);
      expect(value('switchboard_webhook_events_total{type="message.status",duplicate="false"}')).toBe(9);
      expect(value('switchboard_runs_current{state="waiting"}')).toBe(1);
      expect(value('switchboard_events_pending')).toBe(0);
      expect(value('switchboard_alert_incidents_open')).toBe(0);
    } finally {
      await s.close();
    }
  });
});
