import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { type Runtime, startRuntime } from '../src/runtime.js';
import { tempDir } from './process-helpers.js';

/**
 * The whole server in this process on a free port and a fresh data dir. `close` stops it and, unless
 * `keepData` (a test that reopens the database afterwards), removes the data dir.
 */
export async function startInProcess(
  env: Record<string, string>,
  options: { prefix?: string; keepData?: boolean } = {},
) {
  const dataDir = tempDir(options.prefix);
  const rt: Runtime = await startRuntime(
    loadConfig({ SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_POLL_MS: '20', ...env }),
    createLogger('silent'),
  );
  const server: Server = createHttpServer(rt).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rt.baseUrl = base;
  return {
    rt,
    server,
    base,
    dataDir,
    async close() {
      server.close();
      server.closeAllConnections();
      await rt.close();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
