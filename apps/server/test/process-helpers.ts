import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../bin/switchboard.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Process tests run the built server, as users do. */
export function requireBuild(): void {
  if (!existsSync(DIST)) throw new Error('apps/server is not built: run `npm test` (or `pnpm build`) first');
}

export function tempDir(prefix = 'sb-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface ServerProcess {
  proc: ChildProcess;
  base: string;
  key: string;
  /** Everything the process printed on stdout so far (JSON log lines). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  api(path: string, init?: RequestInit): Promise<Response>;
}

/** Starts `switchboard start` on a free port and waits until it listens. */
export async function startServerProcess(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  requireBuild();
  const proc = spawn(process.execPath, [BIN, 'start'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SWITCHBOARD_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      SWITCHBOARD_POLL_MS: '20',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => {
    out += d;
  });
  proc.stderr!.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /"port":(\d+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(Number(m[1]));
      }
    }, 10);
    void exited.then(({ code, signal }) => {
      clearInterval(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${out}\n${err}`));
    });
  });
  const base = `http://127.0.0.1:${port}`;
  const key = env.SWITCHBOARD_API_KEY ?? readFileSync(join(dataDir, 'api-key'), 'utf8').trim();
  return {
    proc,
    base,
    key,
    output: () => out,
    exited,
    api: (path, init = {}) =>
      fetch(`${base}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          ...(init.headers ?? {}),
        },
      }),
  };
}

/** Runs the CLI to completion. */
export function cli(args: string[], env: Record<string, string> = {}, cwd?: string) {
  requireBuild();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    ...(cwd ? { cwd } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Real server processes for crash tests: `dataDir` makes a temporary data dir, `boot` starts a server on
 * one (no example flows, a fixed API key), and `cleanUp` SIGKILLs every process left and removes the dirs.
 */
export function crashLab() {
  const dirs: string[] = [];
  const live: ServerProcess[] = [];
  return {
    dataDir(): string {
      const dir = tempDir();
      dirs.push(dir);
      return dir;
    },
    async boot(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
      const server = await startServerProcess(dataDir, {
        SWITCHBOARD_SEED_EXAMPLES: 'false',
        SWITCHBOARD_API_KEY: 'test-key-0123456789abcdef',
        ...env,
      });
      live.push(server);
      return server;
    },
    /** SIGKILLs every process still running and waits until they are gone (their connections too). */
    async killAll(): Promise<void> {
      for (const server of live) server.proc.kill('SIGKILL');
      await Promise.all(live.map((server) => server.exited));
    },
    cleanUp(): void {
      for (const server of live) server.proc.kill('SIGKILL');
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}
