/**
 * How a failed send should be handled: `rate_limit` and `transient` may be retried (after `retryAfterMs` when
 * known); `auth` needs a new token or permissions; `permanent` will fail again as sent.
 */
export type CloudApiErrorKind = 'rate_limit' | 'transient' | 'permanent' | 'auth';

export interface CloudApiErrorClass {
  kind: CloudApiErrorKind;
  retryable: boolean;
}

export interface CloudApiErrorInit {
  /** HTTP status, or 0 when no response arrived (network error, timeout) or the request was never sent. */
  status: number;
  code?: number | null;
  subcode?: number | null;
  details?: string | null;
  fbtraceId?: string | null;
  retryAfterMs?: number | null;
  /** Defaults to what `classifyError` says for `status` and `code`. */
  kind?: CloudApiErrorKind;
  retryable?: boolean;
  cause?: unknown;
}

export class CloudApiError extends Error {
  override readonly name = 'CloudApiError';
  readonly status: number;
  readonly code: number | null;
  readonly subcode: number | null;
  readonly details: string | null;
  readonly fbtraceId: string | null;
  readonly retryAfterMs: number | null;
  readonly retryable: boolean;
  readonly kind: CloudApiErrorKind;

  constructor(message: string, init: CloudApiErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code ?? null;
    this.subcode = init.subcode ?? null;
    this.details = init.details ?? null;
    this.fbtraceId = init.fbtraceId ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    const classified = classifyError({ status: init.status, code: this.code });
    this.kind = init.kind ?? classified.kind;
    this.retryable = init.retryable ?? classified.retryable;
  }
}

// Meta: 4 / 80007 app and WABA call-rate limits, 130429 throughput, 131056 pair rate limit.
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131056]);
// 1 unknown, 2 service unavailable, 131000 something went wrong, 131016 service overloaded,
// 131057 account in maintenance (e.g. a throughput upgrade).
const TRANSIENT_CODES = new Set([1, 2, 131000, 131016, 131057]);
const AUTH_CODES = new Set([0, 10, 190]);
const PERMANENT_CODES = new Set([
  100, 368, 130497, 131026, 131031, 131047, 131048, 131049, 131050, 131051, 131052, 131053,
]);

function classifyCode(code: number): CloudApiErrorClass | null {
  if (RATE_LIMIT_CODES.has(code)) return { kind: 'rate_limit', retryable: true };
  if (TRANSIENT_CODES.has(code)) return { kind: 'transient', retryable: true };
  if (AUTH_CODES.has(code) || (code >= 200 && code <= 299)) return { kind: 'auth', retryable: false };
  if (PERMANENT_CODES.has(code) || (code >= 132000 && code <= 132999)) {
    return { kind: 'permanent', retryable: false };
  }
  return null;
}

/**
 * Decides whether a failed send may be retried. Meta's error `code` wins over the HTTP status, because Meta
 * reports most failures, rate limits included, as HTTP 400. `retryAfterMs` is kept only when a retry makes sense.
 *
 * @example
 * classifyError({ status: 400, code: 131056 }); // { kind: 'rate_limit', retryable: true, retryAfterMs: null }
 */
export function classifyError(input: {
  status: number;
  code?: number | null;
  retryAfterMs?: number | null;
}): CloudApiErrorClass & { retryAfterMs: number | null } {
  const { status, code } = input;
  const byCode = code === null || code === undefined ? null : classifyCode(code);
  const decided = byCode ?? classifyStatus(status);
  return { ...decided, retryAfterMs: decided.retryable ? (input.retryAfterMs ?? null) : null };
}

function classifyStatus(status: number): CloudApiErrorClass {
  if (status === 0) return { kind: 'transient', retryable: true };
  if (status === 429) return { kind: 'rate_limit', retryable: true };
  if (status >= 500) return { kind: 'transient', retryable: true };
  // Without a Meta code, 401/403 still mean the token or its permissions.
  if (status === 401 || status === 403) return { kind: 'auth', retryable: false };
  return { kind: 'permanent', retryable: false };
}

export type GraphResponseHeaders = Headers | Record<string, string | readonly string[] | undefined>;

function header(headers: GraphResponseHeaders, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return (typeof value === 'string' ? value : value?.[0]) ?? null;
}

/** `Retry-After` as milliseconds from `now`: delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asNumber = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const asString = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const MAX_BODY_IN_MESSAGE = 200;

/**
 * Builds the error for a non-2xx Graph API response from Meta's
 * `{ error: { message, type, code, error_data: { details }, error_subcode, fbtrace_id } }`, tolerating bodies
 * that are not JSON (proxies, gateways).
 */
export function parseGraphError(
  status: number,
  bodyText: string,
  headers: GraphResponseHeaders,
  now: number = Date.now(),
): CloudApiError {
  const retryAfterMs = parseRetryAfter(header(headers, 'retry-after'), now);
  const parsed = parseJson(bodyText);
  const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : null;
  if (!error) {
    const snippet = bodyText.trim().slice(0, MAX_BODY_IN_MESSAGE);
    return new CloudApiError(`WhatsApp Cloud API HTTP ${status}${snippet ? `: ${snippet}` : ''}`, {
      status,
      retryAfterMs,
    });
  }
  const code = asNumber(error.code);
  const details = isRecord(error.error_data) ? asString(error.error_data.details) : null;
  const metaMessage = asString(error.message) ?? 'unknown error';
  const type = asString(error.type);
  const message =
    `WhatsApp Cloud API HTTP ${status}, code ${code ?? 'none'}${type ? ` (${type})` : ''}: ${metaMessage}` +
    (details && details !== metaMessage ? ` (${details})` : '');
  return new CloudApiError(message, {
    status,
    code,
    subcode: asNumber(error.error_subcode),
    details,
    fbtraceId: asString(error.fbtrace_id),
    retryAfterMs,
  });
}
