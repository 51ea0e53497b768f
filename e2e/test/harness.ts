import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { describe } from 'vitest';

/**
 * The end-to-end harness: the BUILT server as a real process on a temporary data dir and a free port,
 * Debian's Chromium driven by playwright-core (never a browser Playwright downloads), a screenshot per
 * stage in e2e/artifacts/<test>/, and a test that fails on any browser console error or page error.
 */

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const API_KEY = 'e2e-key-0123456789abcdef';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER_BIN = join(ROOT, 'apps/server/bin/switchboard.mjs');
const SERVER_BUILD = join(ROOT, 'apps/server/dist/cli.js');
const EDITOR_BUILD = join(ROOT, 'apps/editor/dist/index.html');
export const ARTIFACTS = join(ROOT, 'e2e/artifacts');

/** CI sets this (see .ci/run): there a missing Chromium is a failure, not a skip. */
const browserRequired = process.env.SWITCHBOARD_REQUIRE_BROWSER === '1';
const missingBrowser = existsSync(CHROMIUM)
  ? null
  : `${CHROMIUM} not found: install Debian's Chromium (sudo apt-get install chromium) to run the browser tests`;

/**
 * `describe` for browser tests. Without Chromium they are skipped, and the skipped block's title says
 * what to install; with SWITCHBOARD_REQUIRE_BROWSER=1 they run and fail on the missing browser instead.
 */
export function describeInBrowser(title: string, body: () => void): void {
  if (missingBrowser && !browserRequired) {
    console.warn(`e2e: skipping "${title}": ${missingBrowser}`);
    describe.skip(`${title} (skipped: ${missingBrowser})`, body);
  } else {
    describe(title, body);
  }
}

export interface ServerProcess {
  base: string;
  /** The API key: the test's, or (started without one) the one the server wrote to its data dir. */
  key: string;
  dataDir: string;
  /** Everything the server printed (JSON log lines), for failure messages. */
  output(): string;
  api(path: string, init?: RequestInit): Promise<Response>;
  /**
   * The owner's setup link the server printed on its terminal while there is no owner
   * ("Create the owner account: http://localhost:<port>/setup#<code>"), on `base` (the same page, on
   * the address the tests use). Waits for the line; fails when the server printed none.
   */
  setupLink(): Promise<string>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * False: start without SWITCHBOARD_API_KEY, as a person's first start (the server writes a key file,
   * which `key` and `api()` then use). Default true: the test's known key.
   */
  apiKey?: boolean;
}

/**
 * `switchboard start` from apps/server/dist on a fresh data dir and a free port, with a known API key
 * (or, with `apiKey: false`, none given).
 */
export async function startServer(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<ServerProcess> {
  const withKey = options.apiKey ?? true;
  for (const [file, what] of [
    [SERVER_BUILD, 'apps/server'],
    [EDITOR_BUILD, 'apps/editor'],
  ] as const) {
    if (!existsSync(file))
      throw new Error(`${what} is not built: run \`npm test\` (or \`pnpm build\`) first`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-'));
  const processEnv: Record<string, string | undefined> = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_API_KEY: API_KEY,
    SWITCHBOARD_SEED_EXAMPLES: 'false',
    WHATSAPP_MODE: 'sandbox',
    LOG_LEVEL: 'info',
    SWITCHBOARD_POLL_MS: '20',
    ...env,
  };
  if (!withKey) delete processEnv.SWITCHBOARD_API_KEY;
  const proc: ChildProcess = spawn(process.execPath, [SERVER_BIN, 'start'], {
    env: processEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d) => {
    out += d;
  });
  proc.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  // A test runner that dies must not leave servers behind.
  const killOnExit = () => proc.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /"port":(\d+)/.exec(out);
        if (m) {
          clearInterval(timer);
          resolve(Number(m[1]));
        }
      }, 10);
      void exited.then(() => {
        clearInterval(timer);
        reject(new Error(`server exited before listening:\n${out}`));
      });
    });
    const base = `http://127.0.0.1:${port}`;
    const key = withKey ? API_KEY : readFileSync(join(dataDir, 'api-key'), 'utf8').trim();
    const setupLink = async () => {
      // Printed on stderr right after the "listening" log line.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const printed = /Create the owner account: (\S+)/.exec(out)?.[1];
        if (printed) {
          const link = new URL(printed);
          if (link.port !== String(port)) throw new Error(`the setup link is for another server: ${printed}`);
          return `${base}${link.pathname}${link.hash}`;
        }
        if (Date.now() > deadline) throw new Error(`the server printed no setup link:\n${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    return {
      base,
      key,
      dataDir,
      output: () => out,
      setupLink,
      api: (path, init = {}) =>
        fetch(`${base}${path}`, {
          ...init,
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            ...init.headers,
          },
        }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface EditorSession {
  server: ServerProcess;
  /** Where the editor is served (the server's own origin). */
  base: string;
  context: BrowserContext;
  page: Page;
  /** Where this test's screenshots go. */
  artifacts: string;
  /** Takes the next numbered screenshot, e.g. `03-connected.png`. */
  stage(name: string): Promise<void>;
  /** Browser console errors and page errors that match are expected (e.g. a refused request the test provokes). */
  allowError(pattern: RegExp): void;
  /** Reads JSON from the server's API with the test's key. */
  json<T>(path: string): Promise<T>;
  /**
   * Another browser, on its own fresh profile (no cookies or storage shared with `context`), watched
   * the same way: its errors fail the test too. Closed with the test.
   */
  newContext(): Promise<{ context: BrowserContext; page: Page }>;
  /**
   * Content-Security-Policy violations seen so far in any page of any of the test's browsers: the
   * `securitypolicyviolation` events and the console's "Refused to …" messages. They also fail the test.
   */
  cspViolations(): string[];
}

export interface EditorOptions extends StartOptions {
  /**
   * Where the page opens: default the editor link with the key in its fragment (`/#key=<key>`), as the
   * server prints it; with `apiKey: false`, the owner's setup link the server printed
   * (`/setup#<code>`, read from its output: a browser that has not signed in, opened by the person at
   * the server's console).
   */
  open?: string;
  /** Extra environment for the server (e.g. SWITCHBOARD_HTTP_ALLOWLIST for a receiver on loopback). */
  env?: Record<string, string>;
}

type CspReport = {
  directive: string;
  blocked: string;
  source: string;
  line: number;
  sample: string;
  page: string;
};

/** Launches headless Chromium on `profile`, with the test's window size and language. */
async function launch(profile: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    locale: 'en-US',
  });
  context.setDefaultTimeout(20_000);
  return context;
}

/**
 * Records what a browser reports in every page of `context`: console errors and page errors into
 * `errors`, CSP violations (the DOM event, reported through a binding that the page's CSP cannot block,
 * and the console's own wording) into `csp` and `errors`.
 */
async function watchContext(context: BrowserContext, errors: string[], csp: string[]): Promise<void> {
  const cspSeen = (what: string) => {
    csp.push(what);
    errors.push(`csp: ${what}`);
  };
  await context.exposeBinding('__sbReportCsp', (_source, v: CspReport) => {
    cspSeen(
      `${v.directive} blocked ${v.blocked || '(inline)'} at ${v.source}:${v.line} ${v.sample} (${v.page})`,
    );
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __sbReportCsp(v: unknown): void }).__sbReportCsp;
      report({
        directive: e.effectiveDirective || e.violatedDirective,
        blocked: e.blockedURI,
        source: e.sourceFile,
        line: e.lineNumber,
        sample: e.sample,
        page: location.href,
      });
    });
  });
  const watchPage = (page: Page) => {
    page.on('console', (msg) => {
      const text = msg.text();
      if (
        /Content[- ]Security[- ]Policy|Refused to (load|execute|apply|connect|evaluate|frame|create)/i.test(
          text,
        )
      ) {
        cspSeen(`console ${msg.type()}: ${text} (${msg.location().url})`);
      } else if (msg.type() === 'error') {
        errors.push(`console: ${text} (${msg.location().url})`);
      }
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.stack ?? error.message}`));
  };
  for (const page of context.pages()) watchPage(page);
  context.on('page', watchPage);
}

/**
 * Runs `body` with a server, a headless Chromium on a fresh profile and a page that has opened the
 * editor with the API key in the URL fragment. Cleans up even when `body` fails (after a last
 * `nn-failure.png`), and fails the test if the browser logged any error the test did not allow.
 */
export async function withEditor(
  testName: string,
  body: (s: EditorSession) => Promise<void>,
  options: EditorOptions = {},
): Promise<void> {
  if (missingBrowser) throw new Error(missingBrowser);
  const artifacts = join(ARTIFACTS, testName);
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'sb-e2e-chromium-'));
  const errors: string[] = [];
  const csp: string[] = [];
  const allowed: RegExp[] = [];
  const extra: { context: BrowserContext; profile: string }[] = [];
  let stageNumber = 0;
  let server: ServerProcess | undefined;
  let context: BrowserContext | undefined;
  try {
    server = await startServer(options.env ?? {}, options);
    await assertServesEditor(server);
    const base = server.base;
    context = await launch(profile);
    await watchContext(context, errors, csp);
    const page = context.pages()[0] ?? (await context.newPage());
    const srv = server;
    const session: EditorSession = {
      server: srv,
      base,
      context,
      page,
      artifacts,
      async stage(name) {
        stageNumber++;
        await page.screenshot({
          path: join(artifacts, `${String(stageNumber).padStart(2, '0')}-${name}.png`),
        });
      },
      allowError(pattern) {
        allowed.push(pattern);
      },
      async json<T>(path: string): Promise<T> {
        const res = await srv.api(path);
        if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
        return (await res.json()) as T;
      },
      async newContext() {
        const dir = mkdtempSync(join(tmpdir(), 'sb-e2e-chromium-'));
        const other = await launch(dir);
        extra.push({ context: other, profile: dir });
        await watchContext(other, errors, csp);
        return { context: other, page: other.pages()[0] ?? (await other.newPage()) };
      },
      cspViolations: () => [...csp],
    };
    const withKey = options.apiKey ?? true;
    if (options.open !== undefined) await page.goto(`${base}${options.open}`);
    else if (withKey) await page.goto(`${base}/#key=${encodeURIComponent(srv.key)}`);
    else await page.goto(await srv.setupLink());
    await body(session);
    const unexpected = errors.filter((e) => !allowed.some((p) => p.test(e)));
    if (unexpected.length > 0) throw new Error(`the browser reported errors:\n${unexpected.join('\n')}`);
  } catch (error) {
    const page = context?.pages()[0];
    if (page) {
      await page
        .screenshot({ path: join(artifacts, `${String(stageNumber + 1).padStart(2, '0')}-failure.png`) })
        .catch(() => undefined);
    }
    const extra = errors.length > 0 ? `\nbrowser errors:\n${errors.join('\n')}` : '';
    const log = server
      ? `\nserver log (last lines):\n${server.output().split('\n').slice(-15).join('\n')}`
      : '';
    if (error instanceof Error) error.message += `${extra}${log}\nscreenshots: ${artifacts}`;
    throw error;
  } finally {
    for (const other of extra) {
      await other.context.close().catch(() => undefined);
      rmSync(other.profile, { recursive: true, force: true });
    }
    await context?.close().catch(() => undefined);
    await server?.stop();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The tests go through the server's own `/` (the built editor with SPA fallback), as users do. */
async function assertServesEditor(server: ServerProcess): Promise<void> {
  const res = await fetch(`${server.base}/flows/some-flow`, { headers: { accept: 'text/html' } });
  const text = await res.text();
  if (!res.ok || !text.includes('id="root"')) {
    throw new Error(
      `the server does not serve the editor at / with an SPA fallback (GET /flows/some-flow answered ${res.status})`,
    );
  }
}
