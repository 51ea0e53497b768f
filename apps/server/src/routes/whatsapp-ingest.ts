import type { IncomingMessage, ServerResponse } from 'node:http';
import { type NormalizedEvent, normalizeWebhook } from '@switchboard/whatsapp';
import type { Runtime } from '../runtime.js';

export const WEBHOOK_PATH = '/webhooks/whatsapp';

const waIdOf = (e: NormalizedEvent): string | null =>
  e.type === 'message.received'
    ? e.waId
    : e.type === 'message.status'
      ? e.recipientWaId
      : 'waId' in e
        ? e.waId
        : null;

export interface IngestAnswer {
  status: number;
  /** The JSON answer, already serialized. */
  body: string;
  /** Runs once the answer has been handed to the socket (metrics, nudging the dispatcher). */
  afterAnswer?: () => void;
}

const errorBody = (error: string, message: string) => JSON.stringify({ error, message });

/**
 * One signed POST from Meta: verify the signature over the raw bytes, parse, split into events, store
 * body + dedupe keys in one (group-committed) transaction, and only then produce the 200.
 */
export async function ingestWhatsApp(
  rt: Runtime,
  raw: Buffer,
  signature: string | undefined,
): Promise<IngestAnswer> {
  const channel = rt.channels.signedBy(raw, signature);
  if (!channel) {
    rt.metrics.webhookRejections.inc({ reason: signature ? 'bad_signature' : 'no_signature' });
    return {
      status: 401,
      body: errorBody(
        'invalid_signature',
        signature ? 'X-Hub-Signature-256 does not match' : 'X-Hub-Signature-256 is missing',
      ),
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    rt.metrics.webhookRejections.inc({ reason: 'invalid_json' });
    return {
      status: 400,
      body: errorBody('invalid_json', `the body is not valid JSON: ${(error as Error).message}`),
    };
  }
  const wa = rt.config.whatsapp;
  const { events, problems } = normalizeWebhook(body, {
    optOutKeywords: wa.optOutKeywords,
    optInKeywords: wa.optInKeywords,
  });
  if (problems.length > 0)
    rt.logger.warn({ problems, channel: channel.id }, 'parts of a webhook were not understood');
  const receivedAt = new Date().toISOString();
  const inputs = events.map((e) => ({
    providerEventId: e.dedupeKey,
    type: e.type,
    channelId:
      ('channel' in e && e.channel ? rt.channels.byPhoneNumberId(e.channel.phoneNumberId)?.id : undefined) ??
      channel.id,
    waId: waIdOf(e),
    normalized: e,
    occurredAt: e.timestamp,
  }));
  const stored = await rt.ingest.store(
    { provider: 'whatsapp', channelId: channel.id, rawBody: raw, receivedAt },
    inputs,
  );
  // Scale-out: the workers' jobs, queued before the 200 so Meta re-delivers what did not get one.
  await rt.eventJobs?.enqueue('whatsapp', inputs);
  return {
    status: 200,
    body: `{"received":${stored.inserted.length},"duplicates":${stored.duplicates.length}}`,
    afterAnswer: () => {
      for (const e of events) {
        const duplicate = stored.duplicates.length > 0 && stored.duplicates.includes(e.dedupeKey);
        rt.metrics.webhookEvents.inc({ type: e.type, duplicate: duplicate ? 'true' : 'false' });
      }
      if (stored.inserted.length > 0) rt.dispatcher?.nudge();
    },
  };
}

/** Writes an answer; the test-only fault kills the process right after a 200 leaves. */
export function writeIngestAnswer(rt: Runtime, res: ServerResponse, answer: IngestAnswer): void {
  const killAfter = answer.status === 200 && rt.config.fault?.kind === 'kill-after-webhook';
  // Test-only: die right after the 200 leaves, before the dispatcher can see the event.
  if (killAfter) res.on('finish', () => process.kill(process.pid, 'SIGKILL'));
  res
    .writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(answer.body),
      'x-content-type-options': 'nosniff',
    })
    .end(answer.body);
  if (!killAfter) answer.afterAnswer?.();
}

/** Reads a request body up to `limit` bytes; `undefined` when it is larger (the rest is discarded). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The hottest route, served before Express: Meta's POSTs skip the router and its middleware chain (the
 * Express route with the same behaviour stays for OpenAPI and for paths Express normalizes, such as a
 * trailing slash). Answers, errors and metrics are the same either way.
 */
export function whatsappFastPath(rt: Runtime) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    if (!(url === WEBHOOK_PATH || url.startsWith(`${WEBHOOK_PATH}?`))) return false;
    const end = rt.metrics.http.startTimer();
    res.on('finish', () => end({ method: 'POST', route: WEBHOOK_PATH, status: res.statusCode }));
    readBody(req, rt.config.bodyLimit)
      .then(async (raw) => {
        if (!raw) {
          res.setHeader('connection', 'close');
          return writeIngestAnswer(rt, res, {
            status: 413,
            body: errorBody('body_too_large', `the body is larger than ${rt.config.bodyLimit} bytes`),
          });
        }
        writeIngestAnswer(
          rt,
          res,
          await ingestWhatsApp(rt, raw, req.headers['x-hub-signature-256'] as string),
        );
      })
      .catch((error: unknown) => {
        rt.logger.error({ err: error, path: WEBHOOK_PATH }, 'request failed');
        if (!res.headersSent)
          writeIngestAnswer(rt, res, {
            status: 500,
            body: errorBody('internal_error', 'something went wrong; see the server log'),
          });
        else res.destroy();
      });
    return true;
  };
}
