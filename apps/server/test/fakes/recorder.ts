import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a fake received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. `/crm/v3/objects/contacts/search`. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased names (as Node gives them). */
  headers: Record<string, string>;
  /** Parsed JSON when it parses, else the raw text; null when empty. */
  body: unknown;
  raw: string;
  /** True when an injected failure answered it (see `failNext`). */
  injected: boolean;
  at: number;
}

export interface FakeAnswer {
  status: number;
  /** JSON (sent as application/json) unless `text` is given. */
  json?: unknown;
  /** Sent as text/plain (Slack's `ok`, `no_service`). */
  text?: string;
  headers?: Record<string, string>;
}

export type FakeHandler = (req: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Every request, oldest first (injected failures included). */
  requests: RecordedRequest[];
  /** The next `count` requests are answered with this status (for retry tests), then normal service. */
  failNext(count: number, status: number, answer?: Omit<FakeAnswer, 'status'>): void;
  /** The next `count` requests to exactly this path are answered with this status (others are served). */
  failNextOn(path: string, count: number, status: number): void;
  /** The next `count` requests are answered only after `ms` (for timeout tests). */
  stallNext(count: number, ms: number): void;
  /** Forgets recorded requests and pending failures. */
  reset(): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: FakeAnswer) {
  if (res.destroyed) return;
  const isText = answer.text !== undefined;
  const payload = isText ? answer.text! : answer.json === undefined ? '' : JSON.stringify(answer.json);
  res.writeHead(answer.status, {
    ...(payload !== ''
      ? { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json;charset=utf-8' }
      : {}),
    ...answer.headers,
  });
  res.end(payload);
}

/**
 * A recording HTTP server on 127.0.0.1 and a free port: the base of the vendor fakes. Each request is
 * recorded before `handler` answers it; `defaultFailure` shapes injected failures like the vendor's errors.
 */
export async function startRecorder(
  handler: FakeHandler,
  defaultFailure: (status: number) => Omit<FakeAnswer, 'status'> = () => ({
    json: { message: 'injected failure' },
  }),
): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  let failures: { status: number; answer: Omit<FakeAnswer, 'status'> }[] = [];
  let stalls: number[] = [];
  let pathFailures: { path: string; status: number }[] = [];
  const server = createServer(async (req, res) => {
    try {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://fake');
      let body: unknown = raw === '' ? null : raw;
      try {
        if (raw !== '') body = JSON.parse(raw);
      } catch {}
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const onPath = pathFailures.findIndex((f) => f.path === path);
      const failure =
        onPath >= 0
          ? { status: pathFailures[onPath]!.status, answer: defaultFailure(pathFailures[onPath]!.status) }
          : failures.shift();
      if (onPath >= 0) pathFailures.splice(onPath, 1);
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
        ),
        body,
        raw,
        injected: failure !== undefined,
        at: Date.now(),
      };
      requests.push(recorded);
      const stall = stalls.shift();
      if (stall) await new Promise((r) => setTimeout(r, stall));
      send(res, failure ? { status: failure.status, ...failure.answer } : await handler(recorded));
    } catch (error) {
      send(res, { status: 500, json: { message: `fake failed: ${String(error)}` } });
    }
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    failNext(count, status, answer) {
      for (let i = 0; i < count; i++) failures.push({ status, answer: answer ?? defaultFailure(status) });
    },
    failNextOn(path, count, status) {
      for (let i = 0; i < count; i++) pathFailures.push({ path, status });
    },
    stallNext(count, ms) {
      for (let i = 0; i < count; i++) stalls.push(ms);
    },
    reset() {
      requests.length = 0;
      failures = [];
      stalls = [];
      pathFailures = [];
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Ids like the vendors' (numeric strings). */
export function idCounter(start: number) {
  let next = start;
  return () => String(next++);
}

export const correlationId = () => randomUUID();
