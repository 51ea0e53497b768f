import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import { createHttpServer } from './app.js';
import { loadConfig } from './config.js';
import { editorBuilt } from './editor.js';
import { createLogger } from './logger.js';
import { type Runtime, startRuntime } from './runtime.js';

export interface StartServerOptions {
  /** The environment to configure from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where what is meant for the person at the console goes (never the logger). Default stderr. */
  terminal?: (text: string) => void;
  /** Where the JSON log lines go. Default stdout. */
  logDestination?: 1 | 2 | DestinationStream;
  /** Stop on SIGTERM/SIGINT and exit the process. Default true; tests stop with `close()`. */
  handleSignals?: boolean;
}

/** `switchboard start`: the embedded mode in one process, until SIGTERM/SIGINT. */
export async function startServer(options: StartServerOptions = {}): Promise<{
  runtime: Runtime;
  /** Where the server listens (the loopback address when it listens on every interface). */
  url: string;
  close(): Promise<void>;
}> {
  const config = loadConfig(options.env);
  const logger = createLogger(config.logLevel, options.logDestination);
  // Listeners first: without one, a SIGTERM that arrives while the server starts (a supervisor that saw
  // "listening" and stops it at once) kills the process on the spot, skipping the orderly shutdown.
  let close: (() => Promise<void>) | undefined;
  let stopping = false;
  if (options.handleSignals ?? true) {
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      await close?.();
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  }
  const runtime = await startRuntime(config, logger);
  const server = createHttpServer(runtime).listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  runtime.baseUrl = `http://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ url, dataDir: config.dataDir, port }, `Switchboard listening on ${url}`);
  const start = startMessage({
    host: config.host,
    port,
    apiKey: runtime.apiKey,
    editorBuilt: editorBuilt(config.editorDir),
    // No users and no SWITCHBOARD_OWNER_EMAIL: the owner sign-up needs this start's one-time code.
    setupCode: await runtime.auth.openSetup(),
  });
  // The key and the setup code are shown on the terminal only (never through the logger): the key is
  // also in the data dir; the code lives only in this process, as its hash.
  if (start.terminal) (options.terminal ?? ((text) => process.stderr.write(text)))(start.terminal);
  if (start.log) logger.info({ editor: start.editorUrl }, start.log);

  let closing: Promise<void> | undefined;
  const closeServer = () => {
    closing ??= (async () => {
      server.close();
      server.closeAllConnections();
      await runtime.close();
    })();
    return closing;
  };
  close = closeServer;
  return { runtime, url, close: closeServer };
}

/**
 * What a start says about the editor, the API key and the owner's setup. A freshly created key is
 * printed once, on the terminal, with an editor link that carries it in the URL fragment (`#key=…`:
 * browsers never send the fragment to a server, and the editor takes it from there). While there is no
 * owner, the terminal also gets the link that creates it, with this start's one-time setup code in its
 * fragment (`/setup#<code>`). `log` is the line for the logger (no key, no code); undefined when the
 * terminal already shows the editor link.
 */
export function startMessage(args: {
  host: string;
  port: number;
  apiKey: { key: string; created: boolean; file?: string };
  editorBuilt: boolean;
  setupCode?: string | undefined;
}): { editorUrl: string; terminal?: string; log?: string } {
  const loopback = ['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost'].includes(args.host);
  const editorUrl = `http://${loopback ? 'localhost' : args.host}:${args.port}/`;
  const built = args.editorBuilt ? '' : ' (the editor is not built yet: run `npx pnpm build`)';
  const setup = args.setupCode
    ? `  Create the owner account: ${editorUrl}setup#${args.setupCode}\n\n` +
      '  (The link works until the owner exists; every start without an owner prints a new one.)\n\n'
    : '';
  if (args.apiKey.created) {
    return {
      editorUrl,
      terminal:
        `\n  Your API key (saved in ${args.apiKey.file}):\n\n    ${args.apiKey.key}\n\n` +
        `  Send it as "Authorization: Bearer <key>".\n\n` +
        `  Open the editor${built}:\n\n    ${editorUrl}#key=${args.apiKey.key}\n\n` +
        setup,
    };
  }
  const where = args.apiKey.file
    ? `the API key is in ${args.apiKey.file}`
    : 'the API key is SWITCHBOARD_API_KEY';
  return {
    editorUrl,
    ...(setup ? { terminal: `\n${setup}` } : {}),
    log: `Editor: ${editorUrl} (${where})${built}`,
  };
}
