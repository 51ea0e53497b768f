import type { Json } from '@switchboard/engine';
import type { HttpOutcome, HttpRequest, HttpService } from '@switchboard/nodes';
import type { AppLogger } from '../logger.js';
import { applyCredential, describeUrl, OutboundRequestError } from './apply-credential.js';
import { type Credential, scrub, secretsOf } from './credential-types.js';
import type { CredentialSource } from './credentials.js';
import { readLimited, responseHeaders, scrubJson, summarize } from './response.js';

/** Refuses an outbound address (with a message safe to show), or allows it with null. */
export type AddressCheck = (url: URL) => Promise<string | null>;

export interface HttpClientOptions {
  credentials: CredentialSource;
  logger?: Pick<AppLogger, 'debug' | 'warn'>;
  /** Larger answers end in `too_large` (measured after decompression). Default 2 MiB. */
  maxResponseBytes?: number;
  /** Tests may pass their own. */
  fetch?: typeof fetch;
  /**
   * ISSUE-7 HOOK: the outbound address guard (private, loopback and link-local addresses refused unless
   * the operator allows them) plugs in here. Until it exists every http(s) address is allowed.
   */
  checkAddress?: AddressCheck;
  now?: () => Date;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

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
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host not found (DNS lookup failed)',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
    UND_ERR_SOCKET: 'the connection closed unexpectedly',
  };
  if (cause?.code && known[cause.code]) return `${known[cause.code]} (${cause.code})`;
  if (cause?.code?.includes('CERT') || cause?.code?.startsWith('ERR_TLS'))
    return `TLS certificate problem (${cause.code})`;
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/**
 * The host's outbound HTTP for HTTP, CRM, Slack and helpdesk nodes: one request, no retries (the engine
 * retries steps). Applies stored credentials so a node never sees a secret, and keeps every secret out
 * of messages, logs and returned bodies (a server that echoes the request gets `[redacted]` back).
 * Redirects are not followed (a 3xx is an `http_status` outcome): following one would carry the
 * credential, and skip the address guard, to wherever it points.
 */
export class HttpClient implements HttpService {
  private readonly maxBytes: number;
  private readonly fetch: typeof fetch;
  private readonly now: () => Date;

  constructor(private readonly options: HttpClientOptions) {
    this.maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? (() => new Date());
  }

  async request(args: HttpRequest): Promise<HttpOutcome> {
    const found = this.credentialFor(args);
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

    // ISSUE-7: the outbound address guard decides here, before any byte leaves.
    const refusal = await this.options.checkAddress?.(target.url);
    if (refusal) return fail('refused', safe(`${where}: ${refusal}`));

    if (credential) this.touch(credential.name);
    const started = Date.now();
    const timeout = AbortSignal.timeout(args.timeoutMs);
    const signal = args.signal ? AbortSignal.any([timeout, args.signal]) : timeout;
    try {
      const response = await this.fetch(target.url, {
        method: args.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        redirect: 'manual',
        signal,
      });
      const read = await readLimited(response, this.maxBytes);
      this.options.logger?.debug(
        {
          method: args.method,
          url: describeUrl(target.url, credential),
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

  private credentialFor(args: HttpRequest): { credential: Credential | null } | Failure {
    const wanted = args.credentialTypes ?? [];
    const expected = wanted.join(' or ');
    if (!args.credential) {
      return wanted.length > 0
        ? fail('credential', `this node needs a credential of type ${expected}; none is named`)
        : { credential: null };
    }
    const found = this.options.credentials.lookup(args.credential);
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

  private touch(name: string) {
    try {
      this.options.credentials.touch(name, this.now());
    } catch (error) {
      // Bookkeeping only: a busy database must not fail the request.
      this.options.logger?.warn({ err: error, credential: name }, 'could not record a credential use');
    }
  }
}
