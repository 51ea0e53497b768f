import type { crashLab, ServerProcess } from '../process-helpers.js';
import { freePort } from './nginx.js';

/** One server process slot: its role, data dir and port stay the same across a crash and restart. */
export interface Slot {
  name: string;
  role: 'web' | 'worker';
  dataDir: string;
  port: number;
  server: ServerProcess;
}

/**
 * Web and worker processes of the built server on one database, each on a fixed loopback port so that
 * a restarted web process takes its place in nginx's upstream again.
 */
export async function startCluster(
  lab: ReturnType<typeof crashLab>,
  env: Record<string, string>,
  counts: { webs: number; workers: number },
) {
  const boot = async (role: Slot['role'], dataDir: string, port: number) =>
    lab.boot(dataDir, { ...env, SWITCHBOARD_ROLE: role, PORT: String(port) });
  const slot = async (role: Slot['role'], i: number): Promise<Slot> => {
    const dataDir = lab.dataDir();
    const port = await freePort();
    return { name: `${role}-${i + 1}`, role, dataDir, port, server: await boot(role, dataDir, port) };
  };
  const webs: Slot[] = [];
  for (let i = 0; i < counts.webs; i++) webs.push(await slot('web', i));
  const workers: Slot[] = [];
  for (let i = 0; i < counts.workers; i++) workers.push(await slot('worker', i));
  return {
    webs,
    workers,
    /** SIGKILL: no shutdown code runs, as when a machine or container dies. */
    async kill(s: Slot): Promise<void> {
      s.server.proc.kill('SIGKILL');
      await s.server.exited;
    },
    async restart(s: Slot): Promise<void> {
      s.server = await boot(s.role, s.dataDir, s.port);
    },
    /**
     * Error-level log lines per process (the current incarnation of each slot) with up to three distinct
     * messages, for the CI log.
     */
    errors(): Record<string, { lines: number; samples: string[] }> {
      return Object.fromEntries(
        [...webs, ...workers].map((s) => {
          const lines = s.server
            .output()
            .split('\n')
            .filter((l) => /"level":(50|60)/.test(l));
          const samples = new Set(
            lines.map((l) => {
              const m = /"msg":"([^"]*)"/.exec(l)?.[1] ?? '';
              const err = /"message":"([^"]{0,160})/.exec(l)?.[1] ?? '';
              return `${m}: ${err}`;
            }),
          );
          return [s.name, { lines: lines.length, samples: [...samples].slice(0, 3) }];
        }),
      );
    },
  };
}
