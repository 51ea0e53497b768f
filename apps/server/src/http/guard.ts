import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * The outbound request guard: HTTP, CRM, Slack and helpdesk nodes may not reach loopback, private,
 * link-local, shared (CGNAT), multicast, broadcast, unspecified or cloud metadata addresses, unless the
 * operator allows them with SWITCHBOARD_HTTP_ALLOWLIST. A host name is resolved first and refused when
 * ANY of its addresses is refused; the request then connects only to the addresses that were checked
 * (see `transport.ts`), so a DNS answer that changes in between cannot slip past.
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address (tests inject their own). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** One SWITCHBOARD_HTTP_ALLOWLIST entry. */
export type AllowRule =
  | { kind: 'host'; host: string; port: number | null }
  | { kind: 'cidr'; cidr: Cidr; port: null; text: string };

export type GuardResult =
  | { ok: true; addresses: ResolvedAddress[] }
  | { ok: false; reason: 'refused' | 'network'; message: string };

export const ALLOWLIST_VAR = 'SWITCHBOARD_HTTP_ALLOWLIST';

// ---------------------------------------------------------------------------------------------------
// Addresses as numbers

interface Cidr {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

function v4ToBigInt(address: string): bigint | null {
  const parts = address.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function bigIntToV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
}

/** An IPv6 address (zone id dropped, dotted IPv4 tail allowed) as a 128-bit number. */
function v6ToBigInt(input: string): bigint | null {
  let address = input.replace(/%.*$/, '');
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (tail) {
    const v4 = v4ToBigInt(tail[1]!);
    if (v4 === null) return null;
    address = `${address.slice(0, -tail[1]!.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    n = (n << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return n;
}

function parseCidr(text: string): Cidr | null {
  const [ip, bits, extra] = text.split('/');
  if (!ip || bits === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits)) return null;
  const family = isIP(ip);
  const prefix = Number(bits);
  if (family === 4) {
    const n = v4ToBigInt(ip);
    return n === null || prefix > 32 ? null : { family: 4, base: n, prefix };
  }
  if (family === 6) {
    const n = v6ToBigInt(ip);
    return n === null || prefix > 128 ? null : { family: 6, base: n, prefix };
  }
  return null;
}

function contains(cidr: Cidr, family: 4 | 6, n: bigint): boolean {
  if (cidr.family !== family) return false;
  const width = family === 4 ? 32n : 128n;
  const shift = width - BigInt(cidr.prefix);
  return n >> shift === cidr.base >> shift;
}

const cidr = (text: string) => parseCidr(text)!;

type Category =
  | 'a cloud metadata'
  | 'an unspecified'
  | 'a loopback'
  | 'a private'
  | 'a shared (CGNAT)'
  | 'a link-local'
  | 'a multicast'
  | 'a broadcast'
  | 'a reserved';

const V4_RANGES: Array<[Cidr, Category]> = [
  [cidr('169.254.169.254/32'), 'a cloud metadata'], // AWS, GCP, Azure, OpenStack…
  [cidr('168.63.129.16/32'), 'a cloud metadata'], // Azure's host endpoint
  [cidr('100.100.100.200/32'), 'a cloud metadata'], // Alibaba Cloud
  [cidr('0.0.0.0/8'), 'an unspecified'],
  [cidr('127.0.0.0/8'), 'a loopback'],
  [cidr('10.0.0.0/8'), 'a private'],
  [cidr('172.16.0.0/12'), 'a private'],
  [cidr('192.168.0.0/16'), 'a private'],
  [cidr('100.64.0.0/10'), 'a shared (CGNAT)'],
  [cidr('169.254.0.0/16'), 'a link-local'],
  [cidr('224.0.0.0/4'), 'a multicast'],
  [cidr('255.255.255.255/32'), 'a broadcast'],
  [cidr('240.0.0.0/4'), 'a reserved'],
  [cidr('192.0.0.0/24'), 'a reserved'],
  [cidr('198.18.0.0/15'), 'a reserved'],
];

const V6_RANGES: Array<[Cidr, Category]> = [
  [cidr('fd00:ec2::254/128'), 'a cloud metadata'], // AWS over IPv6
  [cidr('::/128'), 'an unspecified'],
  [cidr('::1/128'), 'a loopback'],
  [cidr('fc00::/7'), 'a private'],
  [cidr('fec0::/10'), 'a private'], // site-local (deprecated)
  [cidr('fe80::/10'), 'a link-local'],
  [cidr('ff00::/8'), 'a multicast'],
  [cidr('100::/64'), 'a reserved'], // discard-only
];

/** IPv6 forms that carry an IPv4 address: mapped, NAT64, IPv4-compatible (deprecated) and 6to4. */
function embeddedV4(n: bigint): bigint | null {
  if (n >> 32n === 0xffffn) return n & 0xffffffffn; // ::ffff:a.b.c.d
  if (n >> 32n === 0x0064ff9b0000000000000000n) return n & 0xffffffffn; // 64:ff9b::a.b.c.d
  if (n >> 32n === 0n && n > 1n) return n & 0xffffffffn; // ::a.b.c.d
  if (n >> 112n === 0x2002n) return (n >> 80n) & 0xffffffffn; // 2002:AABB:CCDD::
  return null;
}

/** Hosts refused by name, before any lookup: they answer with cloud credentials. */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

interface Classified {
  category: Category | null;
  /** The IPv4 address inside an IPv6 one, for messages and allow rules. */
  v4: string | null;
}

/** Why an address may not be reached, or null for a public one. */
export function classify(address: string): Classified {
  const family = isIP(address);
  if (family === 4) {
    const n = v4ToBigInt(address);
    if (n === null) return { category: 'a reserved', v4: null };
    return { category: V4_RANGES.find(([c]) => contains(c, 4, n))?.[1] ?? null, v4: null };
  }
  const n = family === 6 ? v6ToBigInt(address) : null;
  if (n === null) return { category: 'a reserved', v4: null };
  const own = V6_RANGES.find(([c]) => contains(c, 6, n))?.[1];
  if (own) return { category: own, v4: null };
  const inner = embeddedV4(n);
  if (inner === null) return { category: null, v4: null };
  const v4 = bigIntToV4(inner);
  return { category: classify(v4).category, v4 };
}

// ---------------------------------------------------------------------------------------------------
// SWITCHBOARD_HTTP_ALLOWLIST

const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[(.*)\]$/, '$1');
}

/** Parses one entry; a string says what is wrong with it. */
function parseRule(entry: string): AllowRule | string {
  if (entry.includes('/')) {
    const c = parseCidr(entry);
    return c ? { kind: 'cidr', cidr: c, port: null, text: entry } : `"${entry}" is not a valid CIDR range`;
  }
  let host = entry;
  let port: number | null = null;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) {
    host = bracketed[1]!;
    port = bracketed[2] === undefined ? null : Number(bracketed[2]);
  } else if (isIP(entry) !== 6) {
    const m = /^([^:]+):(\d+)$/.exec(entry);
    if (m) {
      host = m[1]!;
      port = Number(m[2]);
    } else if (entry.includes(':')) {
      return `"${entry}" is not a host, host:port or CIDR range`;
    }
  }
  if (port !== null && (!Number.isInteger(port) || port < 1 || port > 65535))
    return `"${entry}" has an invalid port`;
  const normalized = normalizeHost(host);
  if (isIP(normalized) === 0 && !HOST_NAME.test(normalized))
    return `"${entry}" is not a host, host:port or CIDR range`;
  return { kind: 'host', host: canonicalIp(normalized), port };
}

/**
 * A host written the way the URL parser writes it (so `::1` and `0:0::1`, or `0x7f.1` and `127.0.0.1`,
 * or an IDN and its punycode, are the same entry).
 */
function canonicalIp(host: string): string {
  const v6 = isIP(host.replace(/%.*$/, '')) === 6;
  try {
    const parsed = new URL(`http://${v6 ? `[${host.replace(/%.*$/, '')}]` : host}/`).hostname;
    return parsed.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return host;
  }
}

/**
 * Parses SWITCHBOARD_HTTP_ALLOWLIST: comma-separated host names or IP addresses (any port), `host:port`
 * (`[::1]:8080` for IPv6), or CIDR ranges (`10.0.0.0/8`, `fd00::/8`).
 */
export function parseAllowlist(
  value: string,
): { ok: true; rules: AllowRule[] } | { ok: false; problems: string[] } {
  const rules: AllowRule[] = [];
  const problems: string[] = [];
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const rule = parseRule(entry);
    if (typeof rule === 'string') problems.push(rule);
    else rules.push(rule);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rules };
}

/** The rules of a list known to be valid (tests, scripted setup); throws naming the bad entries. */
export function allowRules(value: string): AllowRule[] {
  const parsed = parseAllowlist(value);
  if (!parsed.ok) throw new Error(`invalid ${ALLOWLIST_VAR}: ${parsed.problems.join('; ')}`);
  return parsed.rules;
}

// ---------------------------------------------------------------------------------------------------
// The guard

export interface OutboundGuardOptions {
  /** Parsed SWITCHBOARD_HTTP_ALLOWLIST. */
  allow?: readonly AllowRule[];
  resolve?: Resolver;
}

const defaultResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

function dnsMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOTFOUND' || code === 'ENODATA') return `host not found (${code})`;
  if (code === 'EAI_AGAIN') return 'host not found (DNS lookup failed, EAI_AGAIN)';
  return `DNS lookup failed (${code ?? (error as Error)?.message ?? String(error)})`;
}

export class OutboundGuard {
  private readonly allow: readonly AllowRule[];
  private readonly resolve: Resolver;

  constructor(options: OutboundGuardOptions = {}) {
    this.allow = options.allow ?? [];
    this.resolve = options.resolve ?? defaultResolver;
  }

  /**
   * Checks where a URL leads. Allowed: the addresses to connect to (and only those). Refused: a message
   * safe to show, naming the address and why.
   */
  async check(url: URL): Promise<GuardResult> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return { ok: false, reason: 'refused', message: 'refused: only http(s) URLs may be requested' };
    const host = normalizeHost(url.hostname);
    const port = portOf(url);
    const hostAllowed = this.allow.some(
      (r) => r.kind === 'host' && r.host === host && (r.port === null || r.port === port),
    );
    if (!hostAllowed && METADATA_HOSTS.has(host)) return refused(`${host} is a cloud metadata address`);

    let addresses: ResolvedAddress[];
    const literal = isIP(host);
    if (literal) {
      addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
    } else {
      try {
        addresses = await this.resolve(host);
      } catch (error) {
        return { ok: false, reason: 'network', message: dnsMessage(error) };
      }
      if (addresses.length === 0)
        return { ok: false, reason: 'network', message: 'host not found (no address)' };
    }
    if (hostAllowed) return { ok: true, addresses };
    for (const a of addresses) {
      const { category, v4 } = classify(a.address);
      if (category === null || this.addressAllowed(a.address, v4, port)) continue;
      const shown = v4 ? `${a.address} (${v4})` : a.address;
      return refused(
        literal ? `${shown} is ${category} address` : `${host} resolves to ${shown}, ${category} address`,
      );
    }
    return { ok: true, addresses };
  }

  private addressAllowed(address: string, v4: string | null, port: number): boolean {
    const candidates: Array<[4 | 6, bigint | null, string]> = [];
    const family = isIP(address) === 6 ? 6 : 4;
    candidates.push([family, family === 4 ? v4ToBigInt(address) : v6ToBigInt(address), canonicalIp(address)]);
    if (v4) candidates.push([4, v4ToBigInt(v4), v4]);
    return this.allow.some((rule) =>
      candidates.some(([f, n, text]) => {
        if (rule.kind === 'host') return rule.host === text && (rule.port === null || rule.port === port);
        return n !== null && contains(rule.cidr, f, n);
      }),
    );
  }
}

function refused(why: string): GuardResult {
  return { ok: false, reason: 'refused', message: `refused: ${why} (allow it with ${ALLOWLIST_VAR})` };
}
