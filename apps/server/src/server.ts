import type { AddressInfo } from 'node:net';
import { createHttpServer } from './app.js';
import { loadConfig } from './config.js';
import { editorBuilt } from './editor.js';
import { createLogger } from './logger.js';
import { startRuntime } from './runtime.js';

/** `switchboard start`: the embedded mode in one process, until SIGTERM/SIGINT. */
export async function startServer(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const runtime = startRuntime(config, logger);
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
  });
  // The key is shown once, on the terminal only (never through the logger): it is also in the data dir.
  if (start.terminal) process.stderr.write(start.terminal);
  else logger.info({ editor: start.editorUrl }, start.log);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close();
    server.closeAllConnections();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * What a start says about the editor and the API key. A freshly created key is printed once, on the
 * terminal, with an editor link that carries it in the URL fragment (`#key=…`: browsers never send the
 * fragment to a server, and the editor takes it from there). Otherwise only the plain link, and where
 * the key is.
 */
export function startMessage(args: {
  host: string;
  port: number;
  apiKey: { key: string; created: boolean; file?: string };
  editorBuilt: boolean;
}): { editorUrl: string; terminal?: string; log: string } {
  const loopback = ['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost'].includes(args.host);
  const editorUrl = `http://${loopback ? 'localhost' : args.host}:${args.port}/`;
  const built = args.editorBuilt ? '' : ' (the editor is not built yet: run `npx pnpm build`)';
  if (args.apiKey.created) {
    return {
      editorUrl,
      terminal:
        `\n  Your API key (saved in ${args.apiKey.file}):\n\n    ${args.apiKey.key}\n\n` +
        `  Send it as "Authorization: Bearer <key>".\n\n` +
        `  Open the editor${built}:\n\n    ${editorUrl}#key=${args.apiKey.key}\n\n`,
      log: `Editor: ${editorUrl}`,
    };
  }
  const where = args.apiKey.file
    ? `the API key is in ${args.apiKey.file}`
    : 'the API key is SWITCHBOARD_API_KEY';
  return { editorUrl, log: `Editor: ${editorUrl} (${where})${built}` };
}
