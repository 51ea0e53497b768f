import type { Credential } from './credential-types.js';

/** A request the host cannot send as asked; the message is safe to show (it never holds a secret). */
export class OutboundRequestError extends Error {}

export interface OutboundTarget {
  url: URL;
  /** Lower-cased names; the credential's auth header wins over one the node set. */
  headers: Record<string, string>;
}

/**
 * Where a credential lets a request go. Vendor credentials (and generic ones with a base URL) only send
 * under their own base: an absolute URL elsewhere would hand the token to another server (for Bitrix24
 * and Slack the URL itself is the secret, so nothing else makes sense).
 */
function baseOf(c: Credential): string | null {
  switch (c.type) {
    case 'hubspot':
      return c.data.baseUrl;
    case 'bitrix24':
    case 'slack':
      return c.data.webhookUrl;
    default:
      return c.data.baseUrl ?? null;
  }
}

function authHeaders(c: Credential): Record<string, string> {
  switch (c.type) {
    case 'hubspot':
      return { authorization: `Bearer ${c.data.accessToken}` };
    case 'httpBearer':
      return { authorization: `Bearer ${c.data.token}` };
    case 'httpBasic':
      return {
        authorization: `Basic ${Buffer.from(`${c.data.username}:${c.data.password}`).toString('base64')}`,
      };
    case 'httpHeader':
      return { [c.data.name.toLowerCase()]: c.data.value };
    // Bitrix24 and Slack carry their secret in the URL.
    default:
      return {};
  }
}

/** True for credentials whose URL is itself the secret: messages show only scheme and host. */
export function urlIsSecret(c: Credential | null): boolean {
  return c?.type === 'bitrix24' || c?.type === 'slack';
}

/** How a message names a URL: never its query (it may hold keys), nor a secret path. */
export function describeUrl(url: URL, credential: Credential | null): string {
  return urlIsSecret(credential) ? url.origin : `${url.origin}${url.pathname}`;
}

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function httpUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** Same origin, and the path at or under the base's path (after `..` is resolved). */
function within(target: URL, base: URL): boolean {
  if (target.origin !== base.origin) return false;
  const root = base.pathname.replace(/\/+$/, '');
  return root === '' || target.pathname === root || target.pathname.startsWith(`${root}/`);
}

function label(c: Credential): string {
  return `credential "${c.name}" (${c.type})`;
}

function resolveUrl(credential: Credential | null, url: string): URL {
  const base = credential ? baseOf(credential) : null;
  const baseUrl = base === null ? null : new URL(base);
  if (ABSOLUTE.test(url)) {
    const target = httpUrl(url);
    if (!target) throw new OutboundRequestError('the URL must be an http(s) URL');
    if (credential && baseUrl && !within(target, baseUrl))
      throw new OutboundRequestError(
        `${label(credential)} sends only to ${describeUrl(baseUrl, credential)}: give a path relative to it, not another address`,
      );
    return target;
  }
  if (!credential || !baseUrl) {
    throw new OutboundRequestError(
      credential
        ? `${label(credential)} has no base URL, so the URL must be absolute (http:// or https://)`
        : 'the URL must be absolute (http:// or https://); a relative path needs a credential with a base URL',
    );
  }
  if (credential.type === 'slack' && url !== '')
    throw new OutboundRequestError(`${label(credential)} posts to its webhook URL only: give "" as the URL`);
  if (url === '') return baseUrl;
  const target = httpUrl(`${base!.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`);
  if (!target || !within(target, baseUrl))
    throw new OutboundRequestError(`the path must stay under the base URL of ${label(credential)}`);
  return target;
}

/**
 * Applies a stored credential to a request: resolves a relative URL against the credential's base
 * (HubSpot: baseUrl + path; Bitrix24: webhook URL + method path; Slack: the webhook URL itself), adds the
 * query, and sets the auth header. Pure; throws `OutboundRequestError` for a request it cannot send.
 */
export function applyCredential(
  credential: Credential | null,
  request: { url: string; query?: Record<string, string>; headers?: Record<string, string> },
): OutboundTarget {
  const url = resolveUrl(credential, request.url.trim());
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.append(key, value);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  return { url, headers: { ...headers, ...(credential ? authHeaders(credential) : {}) } };
}
