import type { ChildProcess } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import {
  describeIfServices,
  freshPostgresEnv,
  scaleOutServicesMissing,
  TEST_REDIS_URL,
} from './in-process.js';
import { crashLab, waitFor } from './process-helpers.js';
import { busiestWindow, databaseFigures, orderBreaks, replyCounts, runProblems } from './scale-out/checks.js';
import { startCluster } from './scale-out/cluster.js';
import { contactWaId, customersWrite, messageId, messageText } from './scale-out/contacts.js';
import { type FakeCloudApi, startFakeCloudApi } from './scale-out/fake-cloud-api.js';
import { NGINX_BIN, startNginx } from './scale-out/nginx.js';
import { flowDoc, PHONE_NUMBER_ID } from './wa-helpers.js';

// The scale-out acceptance test: nginx in front of 2 web processes, 3 workers, Postgres and Redis. 50
// customers write 100 messages each through nginx (5,000 signed webhooks, each contact's messages one
// after another, re-sent until answered 200); an echo flow answers every one through a fake Cloud API
// that reports `sent` back like Meta. Midway one worker and one web process are SIGKILLed and restarted.
// Every accepted event must run once, every reply reach Meta once and in each contact's order, and the
// business number's rate must hold across all workers.

const KEY = 'scale-out-crash-key-0123456789';
const APP_SECRET = 'scale-out-app-secret';
const CONTACTS = 50;
const MESSAGES_EACH = 100;
const TOTAL = CONTACTS * MESSAGES_EACH;
const KILL_AFTER = 2_000;
/** Messages per second per business number (WHATSAPP_RATE_PER_SECOND), and the sender's burst. */
const RATE = 80;
const BURST = Math.ceil(RATE / 10);
const FLOW_ID = 'echo';
/** How much later than its grant a send may reach the fake Cloud API (loopback, loaded machine). */
const TRANSIT_JITTER_MS = 100;

const missing = NGINX_BIN
  ? await scaleOutServicesMissing({ redis: true })
  : 'nginx is not installed (apt-get install nginx)';

/** Seconds since `t0`, to one decimal. */
const since = (t0: number) => Math.round((Date.now() - t0) / 100) / 10;

describeIfServices(
  missing,
  'scale-out: nginx, 2 web processes and 3 workers, one of each killed midway',
  () => {
    const lab = crashLab();
    let nginx: ChildProcess | undefined;
    let fake: FakeCloudApi | undefined;
    afterAll(() => {
      nginx?.kill('SIGTERM');
      lab.cleanUp();
      fake?.close();
    });

    it('runs every accepted event once, sends each reply once and in order, within the shared rate', async () => {
      const database = await freshPostgresEnv();
      try {
        fake = await startFakeCloudApi({ phoneNumberId: PHONE_NUMBER_ID, appSecret: APP_SECRET });
        const cluster = await startCluster(
          lab,
          {
            ...database.env,
            SWITCHBOARD_API_KEY: KEY,
            REDIS_URL: TEST_REDIS_URL,
            // Queues and send buckets of their own on the shared Redis.
            SWITCHBOARD_REDIS_PREFIX: `${database.env.SWITCHBOARD_DATABASE_SCHEMA}:`,
            WHATSAPP_MODE: 'live',
            WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
            WHATSAPP_ACCESS_TOKEN: 'live-token-for-the-fake',
            WHATSAPP_APP_SECRET: APP_SECRET,
            WHATSAPP_VERIFY_TOKEN: 'scale-out-verify',
            WHATSAPP_API_URL: fake.url,
            WHATSAPP_RATE_PER_SECOND: String(RATE),
            // Replies to one contact follow each other closely; order, not spacing, is under test.
            WHATSAPP_PAIR_SPACING_MS: '0',
            SWITCHBOARD_TRUST_PROXY: 'loopback',
          },
          { webs: 2, workers: 3 },
        );
        const front = await startNginx(cluster.webs.map((w) => `127.0.0.1:${w.port}`));
        nginx = front.proc;
        fake.statusTarget = `${front.url}/webhooks/whatsapp`;

        const api = (path: string, json?: unknown) =>
          fetch(`${front.url}${path}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
            ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
          });
        const echo = flowDoc(
          FLOW_ID,
          [{ id: 'reply', type: 'whatsapp.sendText', params: { text: 'echo {{ trigger.message.text }}' } }],
          ['start->reply'],
          'trigger.whatsappMessage',
        );
        expect((await api('/api/flows', echo)).status).toBe(201);
        expect((await api(`/api/flows/${FLOW_ID}/activate`)).status).toBe(200);
        // Flow changes reach the other processes within 0.5 s.
        await new Promise((r) => setTimeout(r, 1500));

        const t0 = Date.now();
        let reachedMidway!: () => void;
        const midway = new Promise<void>((r) => {
          reachedMidway = r;
        });
        const writing = customersWrite({
          url: `${front.url}/webhooks/whatsapp`,
          appSecret: APP_SECRET,
          contacts: CONTACTS,
          messagesEach: MESSAGES_EACH,
          onAnswered: (n) => {
            if (n >= KILL_AFTER) reachedMidway();
          },
        });
        await Promise.race([midway, writing]);
        const [worker, web] = [cluster.workers[0]!, cluster.webs[0]!];
        const killedAt = since(t0);
        const sentAtKill = fake.sends.length;
        await Promise.all([cluster.kill(worker), cluster.kill(web)]);
        await new Promise((r) => setTimeout(r, 1000));
        await Promise.all([cluster.restart(worker), cluster.restart(web)]);
        const restartedAt = since(t0);

        const client = await writing;
        const allAnsweredAt = since(t0);
        const expectedTexts: string[] = [];
        const expectedIds: string[] = [];
        for (let c = 0; c < CONTACTS; c++)
          for (let n = 0; n < MESSAGES_EACH; n++) {
            expectedTexts.push(`echo ${messageText(contactWaId(c), n)}`);
            expectedIds.push(messageId(contactWaId(c), n));
          }
        // Every reply out (bounded), then a while longer for late duplicates (a lease expiring, a resend).
        const allReplied = await waitFor(() => (fake!.texts.size >= TOTAL ? true : undefined), 240_000).catch(
          () => false,
        );
        const repliedAt = since(t0);
        const seconds = (Date.now() - t0) / 1000;
        await new Promise((r) => setTimeout(r, 10_000));
        await waitFor(() => (fake!.statuses.inFlight === 0 ? true : undefined), 30_000).catch(() => {});

        const sends = [...fake.sends];
        const replies = replyCounts(sends, expectedTexts);
        const order = orderBreaks(sends, (text) => {
          const m = /#(\d+)$/.exec(text);
          return m ? Number(m[1]) : null;
        });
        // The limiter grants a send when it starts; the fake sees it arrive up to a request's transit
        // later, and transit varies (this machine is busy). Grants within any second are at most
        // RATE + BURST; arrivals delayed by up to TRANSIT_JITTER_MS fit a window that much shorter.
        const busiest = busiestWindow(
          sends.map((s) => s.at),
          1000 - TRANSIT_JITTER_MS,
        );
        const busiestSecond = busiestWindow(sends.map((s) => s.at));
        const db = await databaseFigures(
          { url: database.env.DATABASE_URL!, schema: database.env.SWITCHBOARD_DATABASE_SCHEMA! },
          FLOW_ID,
        );
        const runs = runProblems(db.runsByMessage, expectedIds);
        const eventsById = new Map(db.events.map((e) => [e.message_id, e]));
        const unprocessed = expectedIds.filter((id) => {
          const e = eventsById.get(id);
          return e?.status !== 'processed' || e.error !== null;
        });
        console.log(
          JSON.stringify(
            {
              scaleOutCrash: {
                events: TOTAL,
                allAnsweredAt,
                allRepliedAt: allReplied ? repliedAt : `not within 240 s of the last answer (${repliedAt} s)`,
                inboundPerSecond: Math.round(TOTAL / allAnsweredAt),
                repliesPerSecond: Math.round(replies.distinct / seconds),
                killed: `${worker.name} and ${web.name} at ${killedAt} s (answered ${KILL_AFTER}, replies sent ${sentAtKill}); both back at ${restartedAt} s`,
                webhookTriesRetried: client.failedTries,
                statusWebhooks: fake.statuses,
                sendsReceived: sends.length,
                repliesMissing: replies.missing.length,
                repliesDuplicated: replies.duplicated.length,
                repliesUnexpected: replies.unexpected.length,
                contactsOutOfOrder: order.length,
                busiestSecond,
                [`busiest${1000 - TRANSIT_JITTER_MS}ms`]: busiest,
                rateLimit: `${RATE}/s + burst ${BURST}`,
                sendsWithBizOpaqueData: sends.filter((s) => s.bizOpaqueCallbackData !== null).length,
                messagesWithoutOneRun: runs.noRun.length + runs.severalRuns.length,
                runsNotSucceeded: runs.notSucceeded.length,
                eventsNotProcessed: unprocessed.length,
                outboxByStatus: db.outboxByStatus,
                errorLogs: cluster.errors(),
                examples: {
                  duplicated: replies.duplicated.slice(0, 3),
                  missing: replies.missing.slice(0, 3),
                  outOfOrder: order.slice(0, 3),
                  severalRuns: runs.severalRuns.slice(0, 3),
                  notSucceeded: runs.notSucceeded.slice(0, 3),
                },
              },
            },
            null,
            2,
          ),
        );

        // Every event answered 200 was stored, processed and run exactly once (the database's own record).
        expect.soft(unprocessed, 'inbound events not processed cleanly').toEqual([]);
        expect.soft(runs.noRun, 'messages that started no run').toEqual([]);
        expect.soft(runs.severalRuns, 'messages that started more than one run').toEqual([]);
        expect.soft(runs.notSucceeded, 'runs that did not succeed').toEqual([]);
        // The Cloud API received each reply exactly once, nothing else, in each contact's order.
        expect.soft(replies.missing.length, 'replies that never reached the Cloud API').toBe(0);
        expect.soft(replies.duplicated, 'replies the Cloud API received more than once').toEqual([]);
        expect.soft(replies.unexpected, 'sends that answer no message').toEqual([]);
        expect.soft(order, 'contacts whose replies arrived out of order').toEqual([]);
        // All workers together kept to the number's rate (the bucket may start full: one burst more).
        // A limiter per process (3 × RATE) or a bucket refilled too fast would break this bound.
        expect
          .soft(busiest, `most sends in any ${1000 - TRANSIT_JITTER_MS} ms`)
          .toBeLessThanOrEqual(RATE + BURST);
      } finally {
        // The cluster still works on status webhooks: stop it before its schema goes.
        await lab.killAll();
        await database.drop();
      }
    }, 600_000);
  },
);
