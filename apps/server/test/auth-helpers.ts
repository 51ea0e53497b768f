import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { type Runtime, startRuntime } from '../src/runtime.js';
import { tempDir } from './process-helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read loosely typed JSON answers
export type Loose = any;

export const OWNER_KEY = 'auth-test-owner-key-0123456789';
export const OWNER = { email: 'owner@example.com', name: 'Olga Owner', password: 'correct horse battery' };

/** The whole server in this process, its log (at debug) captured line by line. */
export async function startAuthServer(env: Record<string, string> = {}) {
  const dataDir = tempDir('sb-auth-');
  const log: string[] = [];
  const rt: Runtime = await startRuntime(
    loadConfig({
      SWITCHBOARD_DATA_DIR: dataDir,
      SWITCHBOARD_POLL_MS: '20',
      SWITCHBOARD_API_KEY: OWNER_KEY,
      SWITCHBOARD_SEED_EXAMPLES: 'false',
      ...env,
    }),
    createLogger('debug', { write: (line: string) => void log.push(line) }),
  );
  const server: Server = createHttpServer(rt).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rt.baseUrl = base;
  // What `switchboard start` prints while there is no owner (undefined with SWITCHBOARD_OWNER_EMAIL).
  const setupCode = await rt.auth.openSetup();
  return {
    rt,
    base,
    dataDir,
    log,
    /** The one-time code for `POST /api/auth/setup`, as the start prints it. */
    setupCode,
    /** A browser-like client: keeps the session cookie, sends the CSRF token when told to. */
    client: () => new Client(base),
    /** A request with a bearer key. */
    bearer: (
      key: string,
      path: string,
      init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
    ) => send(base, path, { ...init, headers: { authorization: `Bearer ${key}`, ...(init.headers ?? {}) } }),
    async close() {
      server.close();
      server.closeAllConnections();
      await rt.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  body: Loose;
  headers: Headers;
  /** The `Set-Cookie` lines. */
  cookies: string[];
}

export async function send(
  base: string,
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
    headers: {
      ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.headers ?? {}),
    },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
  const text = await res.text();
  let body: Loose = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, body, headers: res.headers, cookies: res.headers.getSetCookie() };
}

export class Client {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(private readonly base: string) {}

  /** Sends with the cookie (if any) and, when `csrf` (default true), the CSRF token; keeps any new cookie. */
  async call(
    path: string,
    init: { method?: string; json?: unknown; headers?: Record<string, string>; csrf?: boolean } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (this.cookie) headers.cookie = this.cookie;
    if (init.csrf !== false && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const answer = await send(this.base, path, { ...init, headers });
    for (const line of answer.cookies) {
      const [pair] = line.split(';');
      const value = pair!.slice(pair!.indexOf('=') + 1);
      this.cookie = value ? `sb_session=${value}` : undefined;
    }
    if (typeof answer.body?.csrfToken === 'string') this.csrfToken = answer.body.csrfToken;
    return answer;
  }

  signIn(email: string, password: string, headers: Record<string, string> = {}) {
    return this.call('/api/auth/sign-in', { json: { email, password }, headers });
  }
}
