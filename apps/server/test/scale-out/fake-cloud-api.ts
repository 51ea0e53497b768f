import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messagesBody, metaBytes } from '../wa-helpers.js';
import { deliverUntilOk } from './deliver.js';

/** One message as the fake Cloud API accepted it. */
export interface AcceptedSend {
  to: string;
  text: string | null;
  bizOpaqueCallbackData: string | null;
  wamid: string;
  /** Arrival time (ms since epoch), for the rate check. */
  at: number;
}

export interface FakeCloudApi {
  url: string;
  sends: AcceptedSend[];
  /** Distinct texts received, kept as sends arrive (cheap to poll). */
  texts: Set<string | null>;
  /** Status webhooks answered 200 by the ingress, and those not yet (still being retried). */
  statuses: { delivered: number; failedTries: number; inFlight: number };
  /** Where status webhooks go (nginx's /webhooks/whatsapp); set once the front is up. */
  statusTarget: string | null;
  close(): void;
}

/**
 * A stand-in for Graph's messages endpoint that behaves like Meta where the test needs it: every send is
 * accepted with a new wamid and recorded, then a signed `sent` status for that wamid (carrying the send's
 * biz_opaque_callback_data, if any) is POSTed to the ingress and re-sent until answered 200.
 */
export async function startFakeCloudApi(options: {
  phoneNumberId: string;
  appSecret: string;
  /** Answered to `GET /{version}/{waba}/message_templates` (the template sync), in Graph's shape. */
  templates?: unknown[];
}): Promise<FakeCloudApi> {
  const fake: FakeCloudApi = {
    url: '',
    sends: [],
    texts: new Set(),
    statuses: { delivered: 0, failedTries: 0, inFlight: 0 },
    statusTarget: null,
    close: () => server.close(),
  };

  function reportSent(send: AcceptedSend) {
    const target = fake.statusTarget;
    if (!target) return;
    const status = {
      id: send.wamid,
      status: 'sent',
      timestamp: String(Math.floor(Date.now() / 1000)),
      recipient_id: send.to,
      ...(send.bizOpaqueCallbackData !== null
        ? { biz_opaque_callback_data: send.bizOpaqueCallbackData }
        : {}),
    };
    const body = metaBytes(messagesBody({ statuses: [status] }));
    fake.statuses.inFlight++;
    void deliverUntilOk(target, body, options.appSecret, { giveUpAfterMs: 600_000 })
      .then((failed) => {
        fake.statuses.delivered++;
        fake.statuses.failedTries += failed;
      })
      .finally(() => {
        fake.statuses.inFlight--;
      });
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET' && options.templates && req.url?.includes('/message_templates')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: options.templates }));
        return;
      }
      const at = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as {
        to?: string;
        text?: { body?: string };
        biz_opaque_callback_data?: string;
      };
      if (!req.url?.endsWith(`/${options.phoneNumberId}/messages`) || !body.to) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'unexpected request', code: 100 } }));
        return;
      }
      const to = body.to.replace(/^\+/, '');
      const send: AcceptedSend = {
        to,
        text: body.text?.body ?? null,
        bizOpaqueCallbackData: body.biz_opaque_callback_data ?? null,
        wamid: `wamid.fake.${randomBytes(10).toString('hex')}`,
        at,
      };
      fake.sends.push(send);
      fake.texts.add(send.text);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          messaging_product: 'whatsapp',
          contacts: [{ input: body.to, wa_id: to }],
          messages: [{ id: send.wamid }],
        }),
      );
      // Meta reports `sent` a moment after accepting.
      res.on('finish', () => setTimeout(() => reportSent(send), 20));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
