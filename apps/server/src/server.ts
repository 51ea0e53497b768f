import type { AddressInfo } from 'node:net';
import { createHttpServer } from './app.js';
import { loadConfig } from './config.js';
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
  if (runtime.apiKey.created) {
    // Shown once, on the terminal only (never through the logger): it is also in the data dir.
    process.stderr.write(
      `\n  Your API key (saved in ${runtime.apiKey.file}):\n\n    ${runtime.apiKey.key}\n\n  Send it as "Authorization: Bearer <key>".\n\n`,
    );
  }

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
