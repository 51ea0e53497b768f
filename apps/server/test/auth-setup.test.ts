import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/server.js';
import { OWNER, OWNER_KEY, send, startAuthServer } from './auth-helpers.js';
import { tempDir } from './process-helpers.js';

type Server = Awaited<ReturnType<typeof startAuthServer>>;
const WHERE = "printed in the server's output when it started";
const SETUP_LINE = /Create the owner account: (http:\/\/localhost:\d+\/setup#([A-Za-z0-9_-]+))\n/;

describe('POST /api/auth/setup needs the setup code (or the owner key)', () => {
  let s: Server;
  beforeAll(async () => {
    s = await startAuthServer({ SWITCHBOARD_API_RATE_LIMIT: '0' });
  });
  afterAll(() => s.close());

  it('has a random base64url code of at least 128 bits that the status never reveals', async () => {
    expect(s.setupCode).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(Buffer.from(s.setupCode!, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    const status = await s.client().call('/api/auth/status');
    expect(status.body.setupRequired).toBe(true);
    expect(JSON.stringify(status.body)).not.toContain(s.setupCode);
  });

  it('refuses setup without a code and with a wrong one (403 setup_code, saying where the code is)', async () => {
    const missing = await s.client().call('/api/auth/setup', { json: OWNER });
    expect(missing.status).toBe(403);
    expect(missing.body.error).toBe('setup_code');
    expect(missing.body.message).toContain(WHERE);
    expect(missing.cookies).toEqual([]);

    const wrong = await s.client().call('/api/auth/setup', {
      json: { ...OWNER, setupCode: `${s.setupCode!.slice(0, -1)}x` },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toBe('setup_code');
    expect(wrong.body.message).toContain(WHERE);
    expect((await s.client().call('/api/auth/status')).body.setupRequired).toBe(true);
  });

  it('creates the owner with the right code, once: the code is destroyed', async () => {
    const browser = s.client();
    const setup = await browser.call('/api/auth/setup', { json: { ...OWNER, setupCode: s.setupCode } });
    expect(setup.status).toBe(201);
    expect(setup.body.user).toMatchObject({ email: OWNER.email, role: 'owner' });
    expect(setup.cookies).toHaveLength(1);
    expect((await browser.call('/api/auth/status')).body).toMatchObject({
      setupRequired: false,
      via: 'session',
    });

    const again = await s.client().call('/api/auth/setup', {
      json: { ...OWNER, email: 'second@example.com', setupCode: s.setupCode },
    });
    expect(again.status).toBe(409);
    // Even with no users again (a database emptied by hand), the used code is gone for good.
    s.rt.db!.$client.exec('delete from sessions; delete from users;');
    expect(await s.rt.auth.setupRequired()).toBe(true);
    const reused = await s.client().call('/api/auth/setup', { json: { ...OWNER, setupCode: s.setupCode } });
    expect(reused.status).toBe(403);
    expect(reused.body.error).toBe('setup_code');
  });

  it('never logs the code (refusals are logged with the IP only)', () => {
    const log = s.log.join('');
    expect(log).toContain('owner setup refused');
    expect(log).not.toContain(s.setupCode);
  });
});

describe('setup with the owner key', () => {
  let s: Server;
  beforeAll(async () => {
    s = await startAuthServer();
  });
  afterAll(() => s.close());

  it('another role’s key still needs the code', async () => {
    const created = await s.bearer(OWNER_KEY, '/api/api-keys', { json: { name: 'ops', role: 'admin' } });
    expect(created.status).toBe(201);
    const admin = await s.bearer(created.body.key, '/api/auth/setup', { json: OWNER });
    expect(admin.status).toBe(403);
    expect(admin.body.error).toBe('setup_code');
  });

  it('creates the owner without a code, starts no session, and ends the code', async () => {
    const setup = await s.bearer(OWNER_KEY, '/api/auth/setup', { json: OWNER });
    expect(setup.status).toBe(201);
    expect(setup.body).toEqual({
      user: { id: expect.any(String), email: OWNER.email, name: OWNER.name, role: 'owner' },
      csrfToken: null,
    });
    expect(setup.cookies).toEqual([]);
    expect((await s.client().signIn(OWNER.email, OWNER.password)).status).toBe(200);
    const late = await s.client().call('/api/auth/setup', {
      json: { ...OWNER, email: 'late@example.com', setupCode: s.setupCode },
    });
    expect(late.status).toBe(409);
  });
});

describe('wrong setup codes count in the sign-in throttle (by IP)', () => {
  let s: Server;
  beforeAll(async () => {
    s = await startAuthServer({ SWITCHBOARD_API_RATE_LIMIT: '0' });
  });
  afterAll(() => s.close());

  it('locks the address after 5 wrong codes: even the right code, and sign-in, wait', async () => {
    for (let i = 0; i < 5; i++) {
      const wrong = await s.client().call('/api/auth/setup', { json: { ...OWNER, setupCode: `guess-${i}` } });
      expect(wrong.status).toBe(403);
    }
    const locked = await s.client().call('/api/auth/setup', { json: { ...OWNER, setupCode: s.setupCode } });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toBe('too_many_attempts');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await s.client().signIn(OWNER.email, OWNER.password)).status).toBe(429);
    // The owner key is not throttled by it.
    expect((await s.bearer(OWNER_KEY, '/api/auth/setup', { json: OWNER })).status).toBe(201);
  });
});

describe('what `switchboard start` prints', () => {
  const dirs: string[] = [];
  const running: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const r of running.splice(0)) await r.close();
  });
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** `startServer` in this process: what went to the terminal, and every JSON log line (at trace). */
  async function start(dataDir: string, env: Record<string, string> = {}) {
    let terminal = '';
    const log: string[] = [];
    const server = await startServer({
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        SWITCHBOARD_DATA_DIR: dataDir,
        SWITCHBOARD_SEED_EXAMPLES: 'false',
        SWITCHBOARD_POLL_MS: '20',
        LOG_LEVEL: 'trace',
        ...env,
      },
      terminal: (text) => {
        terminal += text;
      },
      logDestination: { write: (line: string) => void log.push(line) },
      handleSignals: false,
    });
    running.push(server);
    return { ...server, terminal: () => terminal, log };
  }
  const dataDir = () => {
    const dir = tempDir('sb-setup-');
    dirs.push(dir);
    return dir;
  };

  it('prints the setup link with the code on the terminal, and the code nowhere in the log', async () => {
    const dir = dataDir();
    const a = await start(dir);
    const match = SETUP_LINE.exec(a.terminal());
    expect(match, a.terminal()).not.toBeNull();
    const [, link, code] = match!;
    const port = new URL(a.url).port;
    expect(link).toBe(`http://localhost:${port}/setup#${code}`);
    expect(code!.length).toBeGreaterThanOrEqual(22);
    // Once on the terminal (the setup line), never in a log line.
    expect(a.terminal().split(code!).length - 1).toBe(1);
    expect(a.log.join('')).not.toContain(code);

    const setup = await send(a.url, '/api/auth/setup', { json: { ...OWNER, setupCode: code } });
    expect(setup.status).toBe(201);
    expect(a.log.length).toBeGreaterThan(0);
    expect(a.log.join('')).not.toContain(code);
    await a.close();

    // The owner exists: the next start prints no setup link.
    const b = await start(dir);
    expect(b.terminal()).not.toContain('Create the owner account');
    expect(b.log.join('')).not.toContain('/setup#');
  });

  it('prints a new code on each start before setup: the previous one stops working', async () => {
    const dir = dataDir();
    const key = { SWITCHBOARD_API_KEY: 'setup-print-test-key-0123456789' };
    const first = await start(dir, key);
    const old = SETUP_LINE.exec(first.terminal())?.[2];
    expect(old).toBeDefined();
    await first.close();
    const second = await start(dir, key);
    const fresh = SETUP_LINE.exec(second.terminal())?.[2];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old);
    expect(second.log.join('')).not.toContain(fresh);
    const stale = await send(second.url, '/api/auth/setup', { json: { ...OWNER, setupCode: old } });
    expect(stale.status).toBe(403);
    const ok = await send(second.url, '/api/auth/setup', { json: { ...OWNER, setupCode: fresh } });
    expect(ok.status).toBe(201);
  });

  it('prints no setup link when SWITCHBOARD_OWNER_EMAIL made the owner', async () => {
    const s = await start(dataDir(), {
      SWITCHBOARD_OWNER_EMAIL: 'boss@example.com',
      SWITCHBOARD_OWNER_PASSWORD: 'from the environment',
    });
    expect(s.terminal()).toContain('#key=');
    expect(s.terminal()).not.toContain('Create the owner account');
    expect(s.terminal()).not.toContain('/setup#');
    expect(s.log.join('')).not.toContain('/setup#');
    const setup = await send(s.url, '/api/auth/setup', { json: { ...OWNER, setupCode: 'anything' } });
    expect(setup.status).toBe(409);
  });
});
