import { resolve } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => ['true', '1', 'yes'].includes(v));

const Fault = z
  .string()
  .regex(
    /^(kill-after-step|kill-during-step):[A-Za-z0-9_.:-]+$/,
    'must be kill-after-step:<nodeId> or kill-during-step:<nodeId>',
  )
  .transform((v) => {
    const [kind, nodeId] = v.split(/:(.*)/s) as [string, string];
    return { kind: kind as 'kill-after-step' | 'kill-during-step', nodeId };
  });

/** Every setting Switchboard reads from the environment, with its default. */
const Env = z.object({
  PORT: z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  SWITCHBOARD_DATA_DIR: z.string().min(1).default('./data'),
  SWITCHBOARD_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SWITCHBOARD_SQLITE_SYNCHRONOUS: z.enum(['normal', 'full']).default('normal'),
  SWITCHBOARD_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  SWITCHBOARD_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  SWITCHBOARD_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  SWITCHBOARD_SEED_EXAMPLES: bool.default(true),
  SWITCHBOARD_EXAMPLES_DIR: z.string().optional(),
  SWITCHBOARD_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  /** Test-only fault injection: SIGKILL this process around a node's step. */
  SWITCHBOARD_FAULT: Fault.optional(),
});

export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and checks the environment; throws a `ConfigError` naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const relevant = Object.fromEntries(
    Object.keys(Env.shape).flatMap((k) => (env[k] === undefined || env[k] === '' ? [] : [[k, env[k]]])),
  );
  const parsed = Env.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const key = String(i.path[0]);
        const shown = key === 'SWITCHBOARD_API_KEY' ? '(hidden)' : JSON.stringify(relevant[key]);
        return `${key}=${shown} ${i.message}`;
      }),
    );
  }
  const c = parsed.data;
  const dataDir = resolve(c.SWITCHBOARD_DATA_DIR);
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir,
    dbPath: resolve(dataDir, 'switchboard.db'),
    apiKey: c.SWITCHBOARD_API_KEY,
    logLevel: c.LOG_LEVEL,
    sqliteSynchronous: c.SWITCHBOARD_SQLITE_SYNCHRONOUS,
    leaseMs: c.SWITCHBOARD_LEASE_MS,
    pollMs: c.SWITCHBOARD_POLL_MS,
    concurrency: c.SWITCHBOARD_CONCURRENCY,
    seedExamples: c.SWITCHBOARD_SEED_EXAMPLES,
    examplesDir: c.SWITCHBOARD_EXAMPLES_DIR ? resolve(c.SWITCHBOARD_EXAMPLES_DIR) : undefined,
    bodyLimit: c.SWITCHBOARD_BODY_LIMIT,
    fault: c.SWITCHBOARD_FAULT,
  };
}
