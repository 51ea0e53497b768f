import { z } from 'zod';

/**
 * The kinds of credential a flow can name, and what each one stores. Every schema is strict, so a
 * misspelt field is reported by name instead of being silently dropped; no message ever echoes a value.
 */
export const CREDENTIAL_TYPES = [
  'hubspot',
  'bitrix24',
  'slack',
  'httpBearer',
  'httpBasic',
  'httpHeader',
] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

export const CredentialName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,60}$/, 'must be 1-60 letters, digits, "-" or "_"');

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** No query or fragment: a base URL is joined with paths, and a secret never hides in its query. */
const plainUrl = (value: string) => {
  const url = parseUrl(value);
  return url !== null && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
};

/**
 * A vendor's URL: https, or plain http to this machine only (the test fakes, a local proxy), so a token
 * or a webhook secret never crosses a network in the clear.
 */
const vendorUrl = z
  .string()
  .trim()
  .refine((v) => {
    const url = parseUrl(v);
    return url?.protocol === 'https:' || (url?.protocol === 'http:' && LOOPBACK.has(url.hostname));
  }, 'must be an https URL (plain http only to localhost)')
  .refine(plainUrl, 'must have no query, fragment or user:password part');

/** A generic API's base URL: http or https. */
const baseUrl = z
  .string()
  .trim()
  .refine((v) => ['http:', 'https:'].includes(parseUrl(v)?.protocol ?? ''), 'must be an http(s) URL')
  .refine(plainUrl, 'must have no query, fragment or user:password part');

/** Goes into an HTTP header: no line breaks (they would let a value forge other headers). */
const headerSafe = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(8192)
    .regex(/^[^\r\n\0]*$/, `${what} must not contain line breaks`);

// Bitrix24 inbound webhook: https://<portal>/rest/<user id>/<code>/ (an on-premise portal may sit under a path).
const BITRIX_PATH = /^(\/.*)?\/rest\/\d+\/[A-Za-z0-9_]+\/?$/;
const SLASH_END = (v: string) => (v.endsWith('/') ? v : `${v}/`);

/** Headers a credential may not set: they belong to the HTTP layer, not to auth. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'connection',
  'transfer-encoding',
]);

export const CREDENTIAL_DATA = {
  /** A HubSpot private-app access token, sent as `Authorization: Bearer`. */
  hubspot: z.strictObject({
    accessToken: headerSafe('accessToken'),
    baseUrl: vendorUrl.default('https://api.hubapi.com'),
  }),
  /** A Bitrix24 inbound webhook URL: the secret code is part of the URL, so there is no header. */
  bitrix24: z.strictObject({
    webhookUrl: vendorUrl
      .refine(
        (v) => BITRIX_PATH.test(parseUrl(v)?.pathname ?? ''),
        'must be the inbound webhook URL, like https://<portal>.bitrix24.com/rest/<user id>/<code>/',
      )
      .transform(SLASH_END),
  }),
  /** A Slack incoming-webhook URL (https://hooks.slack.com/services/T…/B…/…): the URL is the secret. */
  slack: z.strictObject({
    webhookUrl: vendorUrl.refine(
      (v) => (parseUrl(v)?.pathname ?? '/') !== '/',
      'must be the full webhook URL',
    ),
  }),
  httpBearer: z.strictObject({ token: headerSafe('token'), baseUrl: baseUrl.optional() }),
  /** Basic auth, e.g. Zendesk (`<email>/token` + API token) or Freshdesk (API key + `X`). */
  httpBasic: z.strictObject({
    username: headerSafe('username').regex(/^[^:]*$/, 'username must not contain ":"'),
    password: headerSafe('password'),
    baseUrl: baseUrl.optional(),
  }),
  /** Any header, e.g. `X-Api-Key`. */
  httpHeader: z.strictObject({
    name: z
      .string()
      .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'name must be an HTTP header name')
      .refine((v) => !RESERVED_HEADERS.has(v.toLowerCase()), 'name must not be a header the HTTP layer sets'),
    value: headerSafe('value'),
    baseUrl: baseUrl.optional(),
  }),
} satisfies Record<CredentialType, z.ZodType>;

export type CredentialData = { [K in CredentialType]: z.output<(typeof CREDENTIAL_DATA)[K]> };

/** A decrypted credential. Only the server's HTTP client ever holds one. */
export type Credential = {
  [K in CredentialType]: { name: string; type: K; data: CredentialData[K] };
}[CredentialType];

type BodyOption = z.ZodObject<{ type: z.ZodLiteral<CredentialType>; data: z.ZodType }>;

/** `{ type, data }` (plus `extra` fields) checked against the type's schema, as one union (routes, docs). */
function bodyUnion(extra: z.ZodRawShape) {
  return z.discriminatedUnion(
    'type',
    CREDENTIAL_TYPES.map((type) =>
      z.strictObject({ ...extra, type: z.literal(type), data: CREDENTIAL_DATA[type] }),
    ) as unknown as [BodyOption, ...BodyOption[]],
  );
}
export const CredentialBody = bodyUnion({});
export const NewCredentialBody = bodyUnion({ name: CredentialName });
export type CredentialInput = {
  [K in CredentialType]: { type: K; data: z.input<(typeof CREDENTIAL_DATA)[K]> };
}[CredentialType];

/** Checks (and normalizes) one type's data; the problems name fields, never values. */
export function parseCredentialData(type: CredentialType, data: unknown) {
  return CREDENTIAL_DATA[type].safeParse(data);
}

/** Secrets shorter than this are not scrubbed from text (Freshdesk's password `X` would eat every X). */
const MIN_SCRUB = 8;

/**
 * Every string of a credential that must never appear in a message, a log or a stored response. For
 * Bitrix24 and Slack the URL itself (and its secret path part) is the secret.
 */
export function secretsOf(c: Credential): string[] {
  const found: string[] = [];
  switch (c.type) {
    case 'hubspot':
      found.push(c.data.accessToken);
      break;
    case 'bitrix24':
    case 'slack': {
      const url = new URL(c.data.webhookUrl);
      const segments = url.pathname.split('/').filter(Boolean);
      found.push(c.data.webhookUrl, url.pathname, segments.at(-1) ?? '');
      break;
    }
    case 'httpBearer':
      found.push(c.data.token);
      break;
    case 'httpBasic':
      found.push(
        c.data.password,
        c.data.username,
        Buffer.from(`${c.data.username}:${c.data.password}`).toString('base64'),
      );
      break;
    case 'httpHeader':
      found.push(c.data.value);
      break;
  }
  // Longest first, so a URL is replaced whole before its path part is.
  return [...new Set(found.filter((s) => s.length >= MIN_SCRUB))].sort((a, b) => b.length - a.length);
}

/** Replaces every secret in a text with `[redacted]`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
  return out;
}
