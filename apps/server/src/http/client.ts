import type { Json } from '@switchboard/engine';
import type { HttpOutcome, HttpRequest, HttpService } from '@switchboard/nodes';
import type { AppLogger } from '../logger.js';
import { applyCredential, describeUrl, OutboundRequestError } from './apply-credential.js';
import { type Credential, scrub, secretsOf } from './credential-types.js';
import type { CredentialSource } from './credentials.js';
import { OutboundGuard } from './guard.js';
import { readLimited, responseHeaders, scrubJson, summarize } from './response.js';
import { pinnedTransport, type Transport } from './transport.js';

/** Where a credential was used from (a run's step), when the request says. */
export interface CredentialUse {
  name: string;
  type: string;
  runId?: string;
  nodeId?: string;
}

export interface HttpClientOptions {
  credentials: CredentialSource;
  logger?: Pick<AppLogger, 'debug' | 'warn'>;
  /** Larger answers end in `too_large` (measured after decompression). Default 2 MiB. */
  maxResponseBytes?: number;
  /**
   * The outbound address guard: loopback, private, link-local, metadata… addresses are refused unless
   * allowed (SWITCHBOARD_HTTP_ALLOWLIST). Default: a guard with an empty allowlist.
   */
  guard?: OutboundGuard;
  /** Sends one checked hop (tests may pass their own); default: node:http(s) pinned to the checked addresses. */
  transport?: Transport;
  /** Told each time a request applies a stored credential (the audit log keeps a throttled record). */
  onCredentialUse?: (use: CredentialUse) => void;
  now?: () => Date;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
/** Redirects followed at most (each hop checked by the guard again). */
export const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that never follow a redirect to another origin (nor do any that carry the credential). */
const CROSS_ORIGIN_DROPPED = ['authorization', 'proxy-authorization', 'cookie'];

// Set by the HTTP layer itself; a node that passes them would only confuse fetch.
const DROPPED_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

type Failure = Extract<HttpOutcome, { ok: false }>;
const fail = (
  reason: Failure['reason'],
  message: string,
  status: number | null = null,
  body?: Json,
): Failure => ({
  ok: false,
  reason,
  status,
  message,
  ...(body !== undefined ? { body } : {}),
});

function networkMessage(error: unknown): string {
  const own = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const cause = own?.code ? own : own?.cause;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host not found (DNS lookup failed)',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
    UND_ERR_SOCKET: 'the connection closed unexpectedly',
    ECONNABORTED: 'the connection closed unexpectedly',
    EPIPE: 'the connection closed unexpectedly',
  };
  if (cause?.code && known[cause.code]) return `${known[cause.code]} (${cause.code})`;
  if (cause?.code?.includes('CERT') || cause?.code?.startsWith('ERR_TLS'))
    return `TLS certificate problem (${cause.code})`;
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** A DNS lookup cannot be cancelled; the request stops waiting for it when the signal aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * The host's outbound HTTP for HTTP, CRM, Slack and helpdesk nodes: one request, no retries (the engine
 * retries steps). Applies stored credentials so a node never sees a secret, and keeps every secret out
 * of messages, logs and returned bodies (a server that echoes the request gets `[redacted]` back).
 * Every hop goes through the outbound guard first, and connects only to the addresses it checked.
 * Redirects are followed by hand (at most 5; 307/308 keep method and body, 301/302/303 become a GET),
 * each checked again; one that leaves the first origin loses the credential's headers.
 */
export class HttpClient implements HttpService {
  private readonly maxBytes: number;
  private readonly guard: OutboundGuard;
  private readonly transport: Transport;
  private readonly now: () => Date;

  constructor(private readonly options: HttpClientOptions) {
    this.maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.guard = options.guard ?? new OutboundGuard();
    this.transport = options.transport ?? pinnedTransport;
    this.now = options.now ?? (() => new Date());
  }

  async request(args: HttpRequest): Promise<HttpOutcome> {
    const found = await this.credentialFor(args);
    if ('reason' in found) return found;
    const { credential } = found;
    const secrets = credential ? secretsOf(credential) : [];
    const safe = (text: string) => scrub(text, secrets);

    if (!Number.isFinite(args.timeoutMs) || args.timeoutMs <= 0)
      return fail('bad_request', 'timeoutMs must be a positive number');
    let target: ReturnType<typeof applyCredential>;
    try {
      target = applyCredential(credential, args);
    } catch (error) {
      if (error instanceof OutboundRequestError) return fail('bad_request', safe(error.message));
      throw error;
    }
    const where = safe(`${args.method} ${describeUrl(target.url, credential)}`);
    const headers = this.headersFor(target.headers, args);
    if (typeof headers === 'string') return fail('bad_request', `${where}: ${headers}`);
    const body = this.bodyFor(args, headers);
    if (body instanceof Error) return fail('bad_request', `${where}: ${body.message}`);

    const started = Date.now();
    const timeout = AbortSignal.timeout(args.timeoutMs);
    const signal = args.signal ? AbortSignal.any([timeout, args.signal]) : timeout;
    let url = target.url;
    let method: string = args.method;
    let sending = body;
    let sendHeaders = headers;
    let used = false;
    try {
      let response: Response;
      for (let hop = 0; ; hop++) {
        // The guard decides before any byte leaves, on every hop.
        const checked = await abortable(this.guard.check(url), signal);
        const at = hop === 0 ? where : `${where}: redirected to ${describeUrl(url, credential)}`;
        if (!checked.ok) return fail(checked.reason, safe(`${at}: ${checked.message}`));
        if (credential && !used) {
          used = true;
          this.touch(credential, args);
        }
        response = await this.transport({
          url,
          method,
          headers: sendHeaders,
          ...(sending !== undefined ? { body: sending } : {}),
          signal,
          addresses: checked.addresses,
        });
        const location = response.headers.get('location');
        if (!REDIRECTS.has(response.status) || location === null) break;
        await response.body?.cancel().catch(() => {});
        if (hop >= MAX_REDIRECTS)
          return fail('http_status', safe(`${where}: more than ${MAX_REDIRECTS} redirects`), response.status);
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          return fail(
            'http_status',
            safe(`${at} answered ${response.status} with an invalid Location`),
            response.status,
          );
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:')
          return fail('refused', safe(`${at}: refused: a redirect to a non-http(s) URL`), response.status);
        if (response.status !== 307 && response.status !== 308) {
          // 301/302/303: the next request is a GET without the body.
          method = 'GET';
          sending = undefined;
          sendHeaders = Object.fromEntries(
            Object.entries(sendHeaders).filter(([name]) => name !== 'content-type'),
          );
        }
        if (next.origin !== target.url.origin) {
          sendHeaders = Object.fromEntries(
            Object.entries(sendHeaders).filter(
              ([name, value]) =>
                !CROSS_ORIGIN_DROPPED.includes(name) && !secrets.some((x) => x !== '' && value.includes(x)),
            ),
          );
        }
        url = next;
      }
      const read = await readLimited(response, this.maxBytes);
      this.options.logger?.debug(
        {
          method: args.method,
          url: describeUrl(target.url, credential),
          ...(url !== target.url ? { finalUrl: describeUrl(url, credential) } : {}),
          status: response.status,
          ms: Date.now() - started,
          credential: credential?.name,
        },
        'outbound request',
      );
      if (read === 'too_large')
        return fail(
          'too_large',
          `${where}: the answer is larger than ${this.maxBytes} bytes`,
          response.status,
        );
      const parsed = scrubJson(read.body, secrets);
      const answerHeaders = responseHeaders(response.headers, secrets);
      if (response.status >= 200 && response.status < 300)
        return { ok: true, status: response.status, headers: answerHeaders, body: parsed };
      const detail = summarize(parsed);
      return fail(
        'http_status',
        safe(`${where} answered ${response.status}${detail ? `: ${detail}` : ''}`),
        response.status,
        parsed,
      );
    } catch (error) {
      if (timeout.aborted) return fail('timeout', `${where}: no answer within ${args.timeoutMs} ms`);
      if (args.signal?.aborted)
        return fail('timeout', `${where}: aborted (the step's timeout passed or the run was cancelled)`);
      return fail('network', safe(`${where}: ${networkMessage(error)}`));
    }
  }

  private async credentialFor(args: HttpRequest): Promise<{ credential: Credential | null } | Failure> {
    const wanted = args.credentialTypes ?? [];
    const expected = wanted.join(' or ');
    if (!args.credential) {
      return wanted.length > 0
        ? fail('credential', `this node needs a credential of type ${expected}; none is named`)
        : { credential: null };
    }
    const found = await this.options.credentials.lookup(args.credential);
    if (!found.ok) return fail('credential', found.message);
    const { credential } = found;
    if (wanted.length > 0 && !wanted.includes(credential.type)) {
      return fail(
        'credential',
        `credential "${credential.name}" is of type ${credential.type}; this node needs ${expected}`,
      );
    }
    return { credential };
  }

  /** Lower-cased, checked headers; a string says what is wrong (by header name, never by value). */
  private headersFor(given: Record<string, string>, args: HttpRequest): Record<string, string> | string {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(given)) {
      if (!HEADER_NAME.test(name)) return `"${name}" is not a valid header name`;
      if (typeof value !== 'string' || /[\r\n\0]/.test(value)) return `header "${name}" has an invalid value`;
      if (!DROPPED_HEADERS.has(name)) headers[name] = value;
    }
    if (args.body !== undefined && args.body !== null && typeof args.body !== 'string')
      headers['content-type'] ??= 'application/json';
    headers.accept ??= 'application/json, text/plain;q=0.9, */*;q=0.8';
    return headers;
  }

  /** JSON is sent as application/json, a string as it is; `null` (or nothing) sends no body. */
  private bodyFor(args: HttpRequest, headers: Record<string, string>): string | undefined | Error {
    if (args.body === undefined || args.body === null) return undefined;
    if (args.method === 'GET') return new Error('a GET request cannot have a body');
    if (typeof args.body === 'string') {
      headers['content-type'] ??= 'text/plain; charset=utf-8';
      return args.body;
    }
    return JSON.stringify(args.body);
  }

  private touch(credential: Credential, args: HttpRequest) {
    const { name } = credential;
    const failed = (error: unknown) =>
      // Bookkeeping only: a busy database must not fail the request.
      this.options.logger?.warn({ err: error, credential: name }, 'could not record a credential use');
    try {
      void Promise.resolve(this.options.credentials.touch(name, this.now())).catch(failed);
      this.options.onCredentialUse?.({
        name,
        type: credential.type,
        ...(args.origin?.runId ? { runId: args.origin.runId } : {}),
        ...(args.origin?.nodeId ? { nodeId: args.origin.nodeId } : {}),
      });
    } catch (error) {
      failed(error);
    }
  }
}
