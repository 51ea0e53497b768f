import { CloudApiError, parseGraphError } from './errors.js';
import { type OutboundMessage, validateOutbound } from './message-schema.js';
import { type GraphBodyOptions, MAX_CALLBACK_DATA_LENGTH, toGraphBody } from './request-body.js';
import { fetchTransport, type PostJson } from './transport.js';

export interface CloudApiClientOptions {
  /** Graph API origin, e.g. `https://graph.facebook.com`. */
  apiUrl: string;
  /** e.g. `v23.0`. */
  apiVersion: string;
  phoneNumberId: string;
  accessToken: string;
  /** Sends the request; default: Node's fetch. The server passes a keep-alive pool (`PooledTransport`). */
  post?: PostJson;
  /** Convenience for tests: a fetch function to send with (ignored when `post` is given). */
  fetch?: typeof fetch;
  /** Whole request, response body included. Default 15 000 ms. */
  timeoutMs?: number;
}

/** Meta's acknowledgement: the message was **accepted**, which says nothing about delivery. */
export interface CloudApiSendResult {
  /** The wamid; null for mark-as-read, which returns only `{ success: true }`. */
  messageId: string | null;
  /** The WhatsApp id Meta resolved `to` into; it may differ from `to` (Brazil, Mexico). */
  waId: string | null;
  /** `accepted` or `held_for_quality_assessment`, for paced templates only. */
  messageStatus: string | null;
  raw: unknown;
}

const DEFAULT_TIMEOUT_MS = 15_000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function firstString(list: unknown, key: string): string | null {
  const first = Array.isArray(list) ? list[0] : undefined;
  const value = isRecord(first) ? first[key] : undefined;
  return typeof value === 'string' ? value : null;
}

/**
 * Sends messages through the WhatsApp Cloud API (`POST /{version}/{phone-number-id}/messages`).
 * Failures are thrown as `CloudApiError`, whose `kind` and `retryable` tell the caller what to do next.
 *
 * @example
 * const client = new CloudApiClient({ apiUrl: 'https://graph.facebook.com', apiVersion: 'v23.0',
 *   phoneNumberId: '1234567890', accessToken: token });
 * const { messageId } = await client.send({ type: 'text', text: 'Hola' }, '+5215512345678');
 */
export class CloudApiClient {
  readonly #url: string;
  // Private so the token stays out of logs and JSON of the client object.
  readonly #accessToken: string;
  readonly #post: PostJson;
  readonly #timeoutMs: number;

  constructor(options: CloudApiClientOptions) {
    const base = options.apiUrl.replace(/\/+$/, '');
    this.#url = `${base}/${encodeURIComponent(options.apiVersion)}/${encodeURIComponent(options.phoneNumberId)}/messages`;
    this.#accessToken = options.accessToken;
    this.#post = options.post ?? fetchTransport(options.fetch ?? globalThis.fetch);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async send(
    message: OutboundMessage,
    to: string,
    options: GraphBodyOptions = {},
  ): Promise<CloudApiSendResult> {
    const checked = validateOutbound(message);
    if (!checked.ok) {
      const problems = checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
      throw new CloudApiError(`invalid outbound message: ${problems}`, {
        status: 0,
        kind: 'permanent',
        retryable: false,
      });
    }
    if (checked.message.type !== 'markRead' && to.trim() === '') {
      throw new CloudApiError('invalid outbound message: a recipient is required', {
        status: 0,
        kind: 'permanent',
        retryable: false,
      });
    }
    if ((options.callbackData?.length ?? 0) > MAX_CALLBACK_DATA_LENGTH) {
      throw new CloudApiError(
        `invalid outbound message: callback data is longer than ${MAX_CALLBACK_DATA_LENGTH} characters`,
        { status: 0, kind: 'permanent', retryable: false },
      );
    }

    let response: Awaited<ReturnType<PostJson>>;
    try {
      response = await this.#post(
        this.#url,
        {
          authorization: `Bearer ${this.#accessToken}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        JSON.stringify(toGraphBody(checked.message, to, options)),
        this.#timeoutMs,
      );
    } catch (cause) {
      throw this.#networkError(cause);
    }
    const { status, headers, text } = response;

    if (status < 200 || status >= 300) throw this.#redact(parseGraphError(status, text, headers));
    return parseSuccess(text);
  }

  #networkError(cause: unknown): CloudApiError {
    const code = (cause as { code?: unknown } | null)?.code;
    const timedOut =
      (cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')) ||
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT' ||
      code === 'UND_ERR_ABORTED';
    const reason = cause instanceof Error ? cause.message : String(cause);
    const message = timedOut
      ? `WhatsApp Cloud API request timed out after ${this.#timeoutMs} ms`
      : `WhatsApp Cloud API request failed: ${reason}`;
    // The message may or may not have been accepted; retrying risks a duplicate, which beats losing it.
    return this.#redact(new CloudApiError(message, { status: 0, kind: 'transient', retryable: true, cause }));
  }

  // Gateways and proxies sometimes echo request headers back in their error text.
  #redact(error: CloudApiError): CloudApiError {
    const token = this.#accessToken;
    if (token === '' || (!error.message.includes(token) && !error.details?.includes(token))) return error;
    const scrub = (s: string) => s.split(token).join('[redacted]');
    return new CloudApiError(scrub(error.message), {
      status: error.status,
      code: error.code,
      subcode: error.subcode,
      details: error.details === null ? null : scrub(error.details),
      fbtraceId: error.fbtraceId,
      retryAfterMs: error.retryAfterMs,
      kind: error.kind,
      retryable: error.retryable,
    });
  }
}

function parseSuccess(text: string): CloudApiSendResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // A 2xx means Meta accepted the message; failing here would invite a duplicate send on retry.
    return { messageId: null, waId: null, messageStatus: null, raw: text };
  }
  if (!isRecord(raw)) return { messageId: null, waId: null, messageStatus: null, raw };
  return {
    messageId: firstString(raw.messages, 'id'),
    waId: firstString(raw.contacts, 'wa_id'),
    messageStatus: firstString(raw.messages, 'message_status'),
    raw,
  };
}
