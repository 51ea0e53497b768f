import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createHttpServer } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { type Runtime, startRuntime } from '../src/runtime.js';
import type { Loose } from './wa-helpers.js';

export const CAPTURED_KEY = 'captured-test-key-0123456789';

/**
 * The whole server in this process, with its log captured (at trace level, so every line that could
 * carry a secret is written) instead of the silent logger of `startInProcess`, and every API answer
 * kept: the tests that look for secrets search both. The vendor fakes listen on 127.0.0.1, which the
 * outbound guard refuses unless allowed, so loopback is allowed unless `env` says otherwise.
 */
export async function startCapturedServer(dataDir: string, env: Record<string, string> = {}) {
  const key = env.SWITCHBOARD_API_KEY ?? CAPTURED_KEY;
  const log: string[] = [];
  const rt: Runtime = await startRuntime(
    loadConfig({
      SWITCHBOARD_DATA_DIR: dataDir,
      SWITCHBOARD_POLL_MS: '20',
      SWITCHBOARD_API_KEY: key,
      SWITCHBOARD_SEED_EXAMPLES: 'false',
      SWITCHBOARD_HTTP_ALLOWLIST: '127.0.0.1',
      WHATSAPP_SANDBOX_STATUS_DELAYS_MS: '20,40,60',
      WHATSAPP_PAIR_SPACING_MS: '0',
      ...env,
    }),
    createLogger('trace', { write: (line: string) => void log.push(line) }),
  );
  const server: Server = createHttpServer(rt).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rt.baseUrl = base;
  /** Every raw answer body (and its headers), to search for secrets afterwards. */
  const answers: string[] = [];
  const api = async (
    path: string,
    init: RequestInit & { json?: unknown; key?: string | null } = {},
  ): Promise<{ status: number; body: Loose; text: string; headers: Record<string, string> }> => {
    const { json, key: as, ...rest } = init;
    const res = await fetch(`${base}${path}`, {
      ...rest,
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      headers: {
        ...(as === null ? {} : { authorization: `Bearer ${as ?? key}` }),
        'content-type': 'application/json',
        ...((rest.headers as Record<string, string> | undefined) ?? {}),
      },
    });
    const text = await res.text();
    const headers: Record<string, string> = Object.fromEntries(res.headers);
    answers.push(`${JSON.stringify(headers)}\n${text}`);
    let body: Loose = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: res.status, body, text, headers };
  };
  return {
    rt,
    api,
    base,
    log,
    answers,
    key,
    dataDir,
    async close() {
      server.close();
      server.closeAllConnections();
      await rt.close();
    },
  };
}

export type CapturedServer = Awaited<ReturnType<typeof startCapturedServer>>;

/** Every file of the data dir, bytes (the database, its -wal and -shm, the key and lock files). */
export function dataDirBytes(dataDir: string): Array<{ file: string; bytes: Buffer }> {
  return readdirSync(dataDir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => ({ file: e.name, bytes: readFileSync(join(dataDir, e.name)) }));
}

/** The places (by label) where any of `secrets` shows up, also base64-encoded; empty when none. */
export function secretsFound(
  secrets: readonly string[],
  places: Array<{ label: string; content: string | Buffer }>,
): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    const forms = [secret, Buffer.from(secret).toString('base64')];
    for (const { label, content } of places) {
      if (forms.some((f) => content.includes(f))) found.push(`${label} holds ${secret.slice(0, 6)}…`);
    }
  }
  return found;
}
