import { rmSync } from 'node:fs';
import type { HttpOutcome, HttpRequest } from '@switchboard/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { HttpClient } from '../src/http/client.js';
import { type Credential, parseCredentialData } from '../src/http/credential-types.js';
import type { CredentialSource } from '../src/http/credentials.js';
import { allowRules, classify, OutboundGuard, parseAllowlist, type Resolver } from '../src/http/guard.js';
import { pinnedTransport, type Transport } from '../src/http/transport.js';
import { type FakeServer, startRecorder } from './fakes/recorder.js';
import { flowDoc, type Loose, logNode, startWhatsAppServer } from './wa-helpers.js';

const HINT = '(allow it with SWITCHBOARD_HTTP_ALLOWLIST)';

/** A resolver for made-up names (anything else is "not found"). */
function fakeDns(names: Record<string, string[]>): Resolver {
  return async (hostname) => {
    const found = names[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const check = (url: string, guard = new OutboundGuard()) => guard.check(new URL(url));

describe('OutboundGuard: addresses', () => {
  it.each([
    ['http://127.0.0.1/', `refused: 127.0.0.1 is a loopback address ${HINT}`],
    ['http://10.0.0.1/', `refused: 10.0.0.1 is a private address ${HINT}`],
    [
      'http://169.254.169.254/latest/meta-data/',
      `refused: 169.254.169.254 is a cloud metadata address ${HINT}`,
    ],
    ['http://[::1]:8080/', `refused: ::1 is a loopback address ${HINT}`],
    // The URL parser normalizes hex, octal and decimal IPv4 forms before the guard sees them.
    ['http://0x7f.1/', `refused: 127.0.0.1 is a loopback address ${HINT}`],
    ['http://0177.0.0.1/', `refused: 127.0.0.1 is a loopback address ${HINT}`],
    ['http://2130706433/', `refused: 127.0.0.1 is a loopback address ${HINT}`],
    ['http://[::ffff:127.0.0.1]/', `refused: ::ffff:7f00:1 (127.0.0.1) is a loopback address ${HINT}`],
    [
      'http://[::ffff:a9fe:a9fe]/',
      `refused: ::ffff:a9fe:a9fe (169.254.169.254) is a cloud metadata address ${HINT}`,
    ],
    ['http://[64:ff9b::a00:1]/', `refused: 64:ff9b::a00:1 (10.0.0.1) is a private address ${HINT}`],
    ['https://172.20.1.1/', `refused: 172.20.1.1 is a private address ${HINT}`],
    ['https://192.168.1.10/', `refused: 192.168.1.10 is a private address ${HINT}`],
    ['http://100.64.3.4/', `refused: 100.64.3.4 is a shared (CGNAT) address ${HINT}`],
    ['http://169.254.10.1/', `refused: 169.254.10.1 is a link-local address ${HINT}`],
    ['http://0.0.0.0/', `refused: 0.0.0.0 is an unspecified address ${HINT}`],
    ['http://[::]/', `refused: :: is an unspecified address ${HINT}`],
    ['http://224.0.0.1/', `refused: 224.0.0.1 is a multicast address ${HINT}`],
    ['http://255.255.255.255/', `refused: 255.255.255.255 is a broadcast address ${HINT}`],
    ['http://[fe80::1]/', `refused: fe80::1 is a link-local address ${HINT}`],
    ['http://[fd12:3456::1]/', `refused: fd12:3456::1 is a private address ${HINT}`],
    ['http://[fd00:ec2::254]/', `refused: fd00:ec2::254 is a cloud metadata address ${HINT}`],
    ['http://[ff02::1]/', `refused: ff02::1 is a multicast address ${HINT}`],
    [
      'http://metadata.google.internal/computeMetadata/v1/',
      `refused: metadata.google.internal is a cloud metadata address ${HINT}`,
    ],
  ])('refuses %s', async (url, message) => {
    expect(await check(url)).toEqual({ ok: false, reason: 'refused', message });
  });

  it('allows public addresses, and gives back the addresses it checked', async () => {
    expect(await check('https://93.184.215.14/')).toEqual({
      ok: true,
      addresses: [{ address: '93.184.215.14', family: 4 }],
    });
    expect(await check('https://[2606:4700:4700::1111]/')).toMatchObject({ ok: true });
    expect(classify('8.8.8.8').category).toBeNull();
    expect(classify('::ffff:8.8.8.8')).toEqual({ category: null, v4: '8.8.8.8' });
  });

  it('resolves host names and refuses one that resolves to a private address (any of its addresses)', async () => {
    const guard = new OutboundGuard({
      resolve: fakeDns({
        'crm.internal.example': ['10.20.30.40'],
        'split.example': ['93.184.215.14', '192.168.0.7'],
        'public.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
      }),
    });
    expect(await check('https://crm.internal.example/api', guard)).toEqual({
      ok: false,
      reason: 'refused',
      message: `refused: crm.internal.example resolves to 10.20.30.40, a private address ${HINT}`,
    });
    expect(await check('https://split.example/', guard)).toMatchObject({
      ok: false,
      message: expect.stringContaining('split.example resolves to 192.168.0.7, a private address'),
    });
    expect(await check('https://public.example/', guard)).toMatchObject({
      ok: true,
      addresses: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
    });
    expect(await check('https://nowhere.example/', guard)).toEqual({
      ok: false,
      reason: 'network',
      message: 'host not found (ENOTFOUND)',
    });
  });

  it('refuses localhost through the real resolver', async () => {
    const result = await check('http://localhost:3000/');
    expect(result).toMatchObject({ ok: false, reason: 'refused' });
    expect((result as { message: string }).message).toMatch(
      /^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
    );
  });
});

describe('SWITCHBOARD_HTTP_ALLOWLIST', () => {
  it('allows hosts, host:port and CIDR ranges; nothing else', async () => {
    const guard = new OutboundGuard({
      allow: allowRules('127.0.0.1:8080, crm.internal.example, 10.1.0.0/16, [::1]:9000, fd00::/8'),
      resolve: fakeDns({ 'crm.internal.example': ['10.20.30.40'], 'other.internal': ['10.1.2.3'] }),
    });
    expect(await check('http://127.0.0.1:8080/', guard)).toMatchObject({ ok: true });
    expect(await check('http://127.0.0.1:8081/', guard)).toMatchObject({ ok: false, reason: 'refused' });
    expect(await check('http://127.0.0.2:8080/', guard)).toMatchObject({ ok: false, reason: 'refused' });
    expect(await check('http://crm.internal.example/x', guard)).toMatchObject({
      ok: true,
      addresses: [{ address: '10.20.30.40', family: 4 }],
    });
    expect(await check('http://10.1.200.3/', guard)).toMatchObject({ ok: true });
    expect(await check('http://other.internal/', guard)).toMatchObject({ ok: true });
    expect(await check('http://10.2.0.1/', guard)).toMatchObject({ ok: false });
    expect(await check('http://[::1]:9000/', guard)).toMatchObject({ ok: true });
    expect(await check('http://[::1]:9001/', guard)).toMatchObject({ ok: false });
    expect(await check('http://[fd12::1]/', guard)).toMatchObject({ ok: true });
    // An IPv4 rule also covers the IPv4-mapped IPv6 form of the address.
    expect(await check('http://[::ffff:127.0.0.1]:8080/', guard)).toMatchObject({ ok: true });
    // Metadata stays refused unless named itself.
    expect(await check('http://169.254.169.254/', guard)).toMatchObject({ ok: false });
    const metadata = new OutboundGuard({ allow: allowRules('169.254.169.254') });
    expect(await check('http://169.254.169.254/', metadata)).toMatchObject({ ok: true });
  });

  it('is parsed at start, naming each bad entry', () => {
    expect(loadConfig({ SWITCHBOARD_HTTP_ALLOWLIST: '127.0.0.1, 10.0.0.0/8' }).httpAllowlist).toHaveLength(2);
    expect(loadConfig({}).httpAllowlist).toEqual([]);
    expect(parseAllowlist('10.0.0.0/33, ok.example, bad host, x:99999')).toEqual({
      ok: false,
      problems: [
        '"10.0.0.0/33" is not a valid CIDR range',
        '"bad host" is not a host, host:port or CIDR range',
        '"x:99999" has an invalid port',
      ],
    });
    let error: ConfigError | undefined;
    try {
      loadConfig({ SWITCHBOARD_HTTP_ALLOWLIST: '10.0.0.0/33' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toContain(
      'SWITCHBOARD_HTTP_ALLOWLIST="10.0.0.0/33" "10.0.0.0/33" is not a valid CIDR range; each entry is a host',
    );
  });
});

function credential(name: string, data: object): Credential {
  const parsed = parseCredentialData('httpBearer', data);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return { name, type: 'httpBearer', data: parsed.data } as Credential;
}

function source(list: Credential[]): CredentialSource {
  const byName = new Map(list.map((c) => [c.name, c]));
  return {
    lookup: (name) => {
      const c = byName.get(name);
      return c ? { ok: true, credential: c } : { ok: false, message: `credential "${name}" does not exist` };
    },
    touch: () => {},
  };
}

/** The pinned transport, with every hop it was asked to send noted. */
function spyTransport(): { transport: Transport; hops: string[] } {
  const hops: string[] = [];
  return {
    hops,
    transport: (r) => {
      hops.push(`${r.method} ${r.url.href} -> ${r.addresses.map((a) => a.address).join(',')}`);
      return pinnedTransport(r);
    },
  };
}

const failed = (outcome: HttpOutcome) => {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome;
};

describe('HttpClient with the guard', () => {
  let first: FakeServer;
  let second: FakeServer;
  const port = (f: FakeServer) => new URL(f.url).port;
  const TOKEN = 'tok-SECRET-guard-0123456789';

  beforeAll(async () => {
    second = await startRecorder((req) => ({ status: 200, json: { at: 'second', path: req.path } }));
    first = await startRecorder((req) => {
      const to = req.query.to;
      if (req.path === '/redirect' && to)
        return { status: Number(req.query.status ?? 302), headers: { location: to } };
      if (req.path === '/loop') return { status: 302, headers: { location: '/loop' } };
      return { status: 200, json: { at: 'first', path: req.path, method: req.method, body: req.body } };
    });
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
  });

  const client = (allow: string, extra: { resolve?: Resolver } = {}) => {
    const spy = spyTransport();
    const http = new HttpClient({
      credentials: source([credential('api', { token: TOKEN })]),
      guard: new OutboundGuard({ allow: allow ? allowRules(allow) : [], ...extra }),
      transport: spy.transport,
    });
    const call = (args: Partial<HttpRequest> & Pick<HttpRequest, 'url'>) =>
      http.request({ method: 'GET', timeoutMs: 3000, ...args });
    return { call, hops: spy.hops };
  };

  it('by default refuses the loopback fake before sending anything', async () => {
    first.reset();
    const { call, hops } = client('');
    expect(failed(await call({ url: `${first.url}/hello` }))).toEqual({
      ok: false,
      reason: 'refused',
      status: null,
      message: `GET ${first.url}/hello: refused: 127.0.0.1 is a loopback address ${HINT}`,
    });
    expect(failed(await call({ url: 'http://10.0.0.1/x' })).message).toBe(
      `GET http://10.0.0.1/x: refused: 10.0.0.1 is a private address ${HINT}`,
    );
    expect(failed(await call({ url: 'http://169.254.169.254/latest/meta-data/' })).reason).toBe('refused');
    expect(failed(await call({ url: 'http://[::1]/' })).reason).toBe('refused');
    expect(failed(await call({ url: 'http://0x7f.1/' })).reason).toBe('refused');
    expect(hops).toEqual([]);
    expect(first.requests).toEqual([]);
  });

  it('lets an allow-listed loopback fake through', async () => {
    first.reset();
    const { call } = client(`127.0.0.1:${port(first)}`);
    expect(await call({ method: 'POST', url: `${first.url}/hello`, body: { a: 1 } })).toMatchObject({
      ok: true,
      status: 200,
      body: { at: 'first', path: '/hello', method: 'POST', body: { a: 1 } },
    });
    expect(first.requests).toHaveLength(1);
  });

  it('connects to the address it checked: a made-up name reaches the fake through the pinned lookup', async () => {
    first.reset();
    const { call, hops } = client('127.0.0.0/8', {
      resolve: fakeDns({ 'api.pinned.test': ['127.0.0.1'] }),
    });
    const url = `http://api.pinned.test:${port(first)}/pinned`;
    expect(await call({ url })).toMatchObject({ ok: true, body: { at: 'first', path: '/pinned' } });
    expect(hops).toEqual([`GET ${url} -> 127.0.0.1`]);
    expect(first.requests[0]!.headers.host).toBe(`api.pinned.test:${port(first)}`);
  });

  it('refuses a redirect to a private address: the second hop is never sent', async () => {
    first.reset();
    const { call, hops } = client(`127.0.0.1:${port(first)}`, {
      resolve: fakeDns({ 'internal.example': ['10.9.8.7'] }),
    });
    const to = (target: string) => `${first.url}/redirect?to=${encodeURIComponent(target)}`;
    expect(failed(await call({ url: to('http://10.0.0.1/steal'), credential: 'api' }))).toEqual({
      ok: false,
      reason: 'refused',
      status: null,
      message: `GET ${first.url}/redirect: redirected to http://10.0.0.1/steal: refused: 10.0.0.1 is a private address ${HINT}`,
    });
    expect(failed(await call({ url: to('http://internal.example/x') })).message).toContain(
      'redirected to http://internal.example/x: refused: internal.example resolves to 10.9.8.7, a private address',
    );
    // Another loopback port, not allowed: refused, and the server there hears nothing.
    second.reset();
    expect(failed(await call({ url: to(`${second.url}/other`) })).reason).toBe('refused');
    expect(second.requests).toEqual([]);
    expect(hops.every((h) => h.includes(`${first.url}/redirect`))).toBe(true);
    expect(hops).toHaveLength(3);
  });

  it('follows allowed redirects: 307/308 keep method and body, 301/302/303 become a GET', async () => {
    first.reset();
    const { call } = client(`127.0.0.1:${port(first)}`);
    const via = (status: number) =>
      `${first.url}/redirect?status=${status}&to=${encodeURIComponent('/target')}`;
    for (const status of [307, 308]) {
      expect(await call({ method: 'POST', url: via(status), body: { n: status } })).toMatchObject({
        ok: true,
        body: { path: '/target', method: 'POST', body: { n: status } },
      });
    }
    for (const status of [301, 302, 303]) {
      expect(await call({ method: 'POST', url: via(status), body: { n: status } })).toMatchObject({
        ok: true,
        body: { path: '/target', method: 'GET', body: null },
      });
    }
    expect(failed(await call({ url: `${first.url}/loop` }))).toMatchObject({
      reason: 'http_status',
      status: 302,
      message: `GET ${first.url}/loop: more than 5 redirects`,
    });
    expect(first.requests.filter((r) => r.path === '/loop')).toHaveLength(6);
  });

  it('drops the credential when a redirect leaves the first origin, keeps it on the same origin', async () => {
    first.reset();
    second.reset();
    const { call } = client(`127.0.0.1:${port(first)},127.0.0.1:${port(second)}`);
    const same = await call({
      url: `${first.url}/redirect?to=${encodeURIComponent('/same')}`,
      credential: 'api',
    });
    expect(same).toMatchObject({ ok: true, body: { path: '/same' } });
    expect(first.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const away = await call({
      url: `${first.url}/redirect?to=${encodeURIComponent(`${second.url}/away`)}`,
      credential: 'api',
      headers: { 'x-trace': 'kept' },
    });
    expect(away).toMatchObject({ ok: true, body: { at: 'second', path: '/away' } });
    expect(second.requests[0]!.headers.authorization).toBeUndefined();
    expect(second.requests[0]!.headers['x-trace']).toBe('kept');
  });
});

describe('an http.request node', () => {
  let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
  let fake: FakeServer;

  beforeAll(async () => {
    fake = await startRecorder(() => ({ status: 200, json: { ok: true } }));
    // Only the fake's port is allowed (not all of loopback, as the other server tests do).
    s = await startWhatsAppServer({ SWITCHBOARD_HTTP_ALLOWLIST: `127.0.0.1:${new URL(fake.url).port}` });
  });
  afterAll(async () => {
    await s?.close();
    if (s) rmSync(s.dataDir, { recursive: true, force: true });
    await fake?.close();
  });

  const runCall = async (id: string, url: string) => {
    await s.install(
      flowDoc(
        id,
        [{ id: 'call', type: 'http.request', params: { url } }, logNode('done'), logNode('failed')],
        ['start->call', 'call->done', 'call.error->failed'],
      ),
      false,
    );
    const run: Loose = await s.settled(await s.startRun(id, {}));
    const steps = run.steps.filter((x: Loose) => x.nodeId === 'call');
    return { run, step: steps.at(-1) as Loose };
  };

  it('leaves through error with reason refused for a private address', async () => {
    const { run, step } = await runCall('guard-private', 'http://10.0.0.1/internal');
    expect(run.status).toBe('succeeded');
    expect(step.ports).toEqual(['error']);
    expect(step.output).toEqual({
      reason: 'refused',
      status: null,
      message: `GET http://10.0.0.1/internal: refused: 10.0.0.1 is a private address ${HINT}`,
      body: null,
    });
    expect(run.steps.map((x: Loose) => x.nodeId)).toContain('failed');
  });

  it('reaches the allow-listed fake, and not the rest of loopback', async () => {
    const ok = await runCall('guard-allowed', `${fake.url}/ping`);
    expect(ok.step.ports).toEqual(['out']);
    expect(fake.requests.map((r) => r.path)).toEqual(['/ping']);
    const other = await runCall('guard-other-port', `${s.base}/healthz`);
    expect(other.step.ports).toEqual(['error']);
    expect(other.step.output.reason).toBe('refused');
  });
});
