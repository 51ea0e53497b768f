import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_EDITOR_DIR } from './editor.js';
import { parseAllowlist } from './http/guard.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => ['true', '1', 'yes'].includes(v));

const Fault = z
  .string()
  .regex(
    /^((kill-after-step|kill-during-step):[A-Za-z0-9_.:-]+|kill-after-webhook)$/,
    'must be kill-after-step:<nodeId>, kill-during-step:<nodeId> or kill-after-webhook',
  )
  .transform((v) => {
    const [kind, nodeId = ''] = v.split(/:(.*)/s) as [string, string?];
    return { kind: kind as 'kill-after-step' | 'kill-during-step' | 'kill-after-webhook', nodeId };
  });

/** Retried outbound work (subscription deliveries, CRM timeline entries): the first retry's delay. */
const backoffMs = z.coerce.number().int().min(10).max(600_000).default(10_000);
/** How long after its first attempt such work is retried before it is dead (replayable). */
const retryWindowMs = z.coerce
  .number()
  .int()
  .min(100)
  .max(7 * 24 * 3_600_000)
  .default(24 * 3_600_000);

/** Backoff ×3 per attempt, capped at 360× the first delay or an hour, within the retry window. */
function retrySettings(backoff: number, window: number) {
  return { backoffMs: backoff, retryWindowMs: window, maxBackoffMs: Math.min(backoff * 360, 3_600_000) };
}

const list = z.string().transform((v) =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/** Every setting Switchboard reads from the environment, with its default. */
const Env = z.object({
  PORT: z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  SWITCHBOARD_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (unset: the embedded SQLite database)')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** Prefix of every Redis key (BullMQ queues, send-limit buckets): several deployments on one Redis. */
  SWITCHBOARD_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1–64 letters, digits or _ . : -')
    .default('sb:'),
  SWITCHBOARD_ROLE: z
    .enum(['all', 'web', 'worker'], { message: 'must be all, web or worker' })
    .default('all'),
  SWITCHBOARD_DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case Postgres schema name')
    .optional(),
  SWITCHBOARD_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SWITCHBOARD_SQLITE_SYNCHRONOUS: z.enum(['normal', 'full']).default('normal'),
  SWITCHBOARD_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /**
   * How long a sender holds the messages it claimed before another worker may send them again (it
   * died): longer than a Graph request may take (15 s), short enough to resend soon after a crash.
   */
  SWITCHBOARD_SEND_LEASE_MS: z.coerce.number().int().min(20_000).max(600_000).default(60_000),
  SWITCHBOARD_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  // Live monitoring (docs/monitoring.md): the width of a stored time bucket, the window rate figures of
  // alert rules are measured over, and how often rules are evaluated.
  SWITCHBOARD_MONITORING_BUCKET_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  SWITCHBOARD_ALERT_WINDOW_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  SWITCHBOARD_ALERT_EVAL_MS: z.coerce.number().int().min(50).max(600_000).default(10_000),
  /** How often a worker folds the outbox's message-count changes into the analytics counts. */
  SWITCHBOARD_ANALYTICS_FOLD_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
  /** Outgoing event subscriptions: the first retry's delay (each next one 3× longer, at most 360× this). */
  SWITCHBOARD_SUBSCRIPTION_BACKOFF_MS: backoffMs,
  /** How long after the first attempt a delivery is retried before it is dead (replayable). */
  SWITCHBOARD_SUBSCRIPTION_RETRY_WINDOW_MS: retryWindowMs,
  /** CRM timeline sync: the first retry's delay when the CRM is down (each next one 3× longer). */
  SWITCHBOARD_CRM_SYNC_BACKOFF_MS: backoffMs,
  /** How long after the first attempt a CRM timeline entry is retried before it is dead (replayable). */
  SWITCHBOARD_CRM_SYNC_RETRY_WINDOW_MS: retryWindowMs,
  SWITCHBOARD_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(64),
  SWITCHBOARD_SEED_EXAMPLES: bool.default(true),
  SWITCHBOARD_EXAMPLES_DIR: z.string().optional(),
  /** The editor's static build (index.html + assets/); default: apps/editor/dist in this repository. */
  SWITCHBOARD_EDITOR_DIR: z.string().min(1).optional(),
  SWITCHBOARD_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  SWITCHBOARD_ENCRYPTION_KEY: z
    .string()
    .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, 'must be 32 bytes as 64 hex digits or base64')
    .optional(),
  WHATSAPP_MODE: z.enum(['sandbox', 'live']).default('sandbox'),
  WHATSAPP_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d{5,20}$/, 'must be the numeric phone number id')
    .optional(),
  WHATSAPP_ACCESS_TOKEN: z.string().min(10, 'looks too short for an access token').optional(),
  WHATSAPP_APP_SECRET: z.string().min(8, 'must be at least 8 characters').optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().min(4, 'must be at least 4 characters').optional(),
  WHATSAPP_WABA_ID: z.string().regex(/^\d+$/, 'must be numeric').optional(),
  WHATSAPP_DISPLAY_PHONE_NUMBER: z.string().optional(),
  WHATSAPP_API_URL: z.url({ message: 'must be a URL such as https://graph.facebook.com' }).optional(),
  WHATSAPP_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v23.0')
    .default('v23.0'),
  WHATSAPP_RATE_PER_SECOND: z.coerce.number().positive().max(1000).default(80),
  WHATSAPP_PAIR_SPACING_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  WHATSAPP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
  WHATSAPP_RETRY_BASE_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** The account's messaging limit: unique users business-initiated messages reach per rolling 24 h. */
  WHATSAPP_MESSAGING_LIMIT: z
    .enum(['TIER_250', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED'], {
      message: 'must be one of TIER_250, TIER_2K, TIER_10K, TIER_100K, TIER_UNLIMITED',
    })
    .default('TIER_250'),
  WHATSAPP_BLOCKED_PREFIXES: list.default(['53', '98', '850', '963']),
  WHATSAPP_OPT_OUT_KEYWORDS: list.default(['STOP', 'BAJA', 'CANCELAR', 'UNSUBSCRIBE']),
  WHATSAPP_OPT_IN_KEYWORDS: list.default(['START', 'ALTA']),
  /** How long a template submitted to the sandbox stays PENDING before its review webhook. */
  WHATSAPP_SANDBOX_TEMPLATE_REVIEW_MS: z.coerce.number().int().min(0).max(3_600_000).default(2_000),
  /** Minutes between template syncs of every channel (0: only at start and on demand). */
  SWITCHBOARD_TEMPLATE_SYNC_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),
  WHATSAPP_SANDBOX_STATUS_DELAYS_MS: z
    .string()
    .regex(/^\d+,\d+,\d+$/, 'must be three delays in ms: sent,delivered,read (e.g. 100,300,900)')
    .default('100,300,900')
    .transform((v) => v.split(',').map(Number) as [number, number, number]),
  /** With SWITCHBOARD_OWNER_PASSWORD: the owner created at start when there are no users yet. */
  SWITCHBOARD_OWNER_EMAIL: z.email({ message: 'must be an email address' }).optional(),
  SWITCHBOARD_OWNER_PASSWORD: z
    .string()
    .min(10, 'must be at least 10 characters')
    .max(200, 'must be at most 200 characters')
    .optional(),
  /** Sessions last this many days after their last use (sliding). */
  SWITCHBOARD_SESSION_DAYS: z.coerce
    .number({ message: 'must be a number of days' })
    .positive()
    .max(365)
    .default(14),
  /**
   * Express `trust proxy`: false (default: the client's address and scheme are the connection's), true,
   * a number of proxy hops, or a comma-separated list of addresses/subnets (`loopback`, `10.0.0.0/8`).
   */
  SWITCHBOARD_TRUST_PROXY: z
    .string()
    .regex(/^[A-Za-z0-9.:/, _-]+$/, 'must be true, false, a number of hops or a list of addresses')
    .transform((v): boolean | number | string => {
      const t = v.trim().toLowerCase();
      if (['false', 'no', 'off'].includes(t)) return false;
      if (['true', 'yes', 'on'].includes(t)) return true;
      if (/^\d+$/.test(t)) return Number(t);
      return v.trim();
    })
    .default(false),
  /** API requests per minute per API key, user or (anonymous) address; 0 turns the limit off. */
  SWITCHBOARD_API_RATE_LIMIT: z.coerce
    .number({ message: 'must be a number' })
    .int()
    .min(0)
    .max(1_000_000)
    .default(1200),
  /**
   * Outbound HTTP (HTTP, CRM, Slack, helpdesk nodes) may reach these otherwise refused hosts: host names
   * or IP addresses, `host:port`, or CIDR ranges, comma-separated (see docs/security.md).
   */
  SWITCHBOARD_HTTP_ALLOWLIST: z
    .string()
    .transform((v, ctx) => {
      const parsed = parseAllowlist(v);
      if (parsed.ok) return parsed.rules;
      for (const problem of parsed.problems)
        ctx.addIssue({
          code: 'custom',
          message: `${problem}; each entry is a host (127.0.0.1, crm.internal), host:port (localhost:8080, [::1]:8080) or CIDR range (10.0.0.0/8, fd00::/8)`,
        });
      return z.NEVER;
    })
    .optional(),
  /** Test-only fault injection: SIGKILL this process around a node's step. */
  SWITCHBOARD_FAULT: Fault.optional(),
});

export type Config = ReturnType<typeof loadConfig>;

const SECRET_VARS = new Set([
  'DATABASE_URL',
  'REDIS_URL',
  'SWITCHBOARD_API_KEY',
  'SWITCHBOARD_ENCRYPTION_KEY',
  'SWITCHBOARD_OWNER_PASSWORD',
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
]);

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
        const shown = SECRET_VARS.has(key) ? '(hidden)' : JSON.stringify(relevant[key]);
        return `${key}=${shown} ${i.message}`;
      }),
    );
  }
  const c = parsed.data;
  if (c.WHATSAPP_MODE === 'live') {
    const missing = (
      [
        'WHATSAPP_PHONE_NUMBER_ID',
        'WHATSAPP_ACCESS_TOKEN',
        'WHATSAPP_APP_SECRET',
        'WHATSAPP_VERIFY_TOKEN',
      ] as const
    ).filter((k) => !c[k]);
    if (missing.length > 0)
      throw new ConfigError(missing.map((k) => `${k} is required when WHATSAPP_MODE=live`));
  }
  if (Boolean(c.SWITCHBOARD_OWNER_EMAIL) !== Boolean(c.SWITCHBOARD_OWNER_PASSWORD)) {
    throw new ConfigError([
      'SWITCHBOARD_OWNER_EMAIL and SWITCHBOARD_OWNER_PASSWORD are set together (or neither is)',
    ]);
  }
  if (c.SWITCHBOARD_ROLE !== 'all' && !c.DATABASE_URL)
    throw new ConfigError([
      `SWITCHBOARD_ROLE=${c.SWITCHBOARD_ROLE} needs DATABASE_URL: web and worker processes share state in Postgres`,
    ]);
  if (c.DATABASE_URL) {
    // Every process of a scale-out deployment must decrypt the same credentials and accept the same
    // owner key; keys generated into each process's data dir would differ.
    const missing = (['SWITCHBOARD_ENCRYPTION_KEY', 'SWITCHBOARD_API_KEY'] as const).filter((k) => !c[k]);
    if (missing.length > 0)
      throw new ConfigError(
        missing.map((k) => `${k} is required with DATABASE_URL (every process shares it)`),
      );
  }
  const dataDir = resolve(c.SWITCHBOARD_DATA_DIR);
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir,
    dbPath: resolve(dataDir, 'switchboard.db'),
    /** REDIS_URL: the per-number send limit shared by every worker (a token bucket in Redis). */
    redisUrl: c.REDIS_URL,
    redisPrefix: c.SWITCHBOARD_REDIS_PREFIX,
    /** `web` serves and stores only; `worker` runs the loops that execute, dispatch and send; `all` both. */
    role: c.SWITCHBOARD_ROLE,
    /** DATABASE_URL: Postgres (scale-out); unset: SQLite in the data dir. */
    database: c.DATABASE_URL
      ? { kind: 'postgres' as const, url: c.DATABASE_URL, schema: c.SWITCHBOARD_DATABASE_SCHEMA }
      : { kind: 'sqlite' as const },
    apiKey: c.SWITCHBOARD_API_KEY,
    logLevel: c.LOG_LEVEL,
    sqliteSynchronous: c.SWITCHBOARD_SQLITE_SYNCHRONOUS,
    leaseMs: c.SWITCHBOARD_LEASE_MS,
    sendLeaseMs: c.SWITCHBOARD_SEND_LEASE_MS,
    /** Outgoing event subscriptions: retries with backoff within a window, then dead (docs/integrations.md). */
    subscriptionRetry: retrySettings(
      c.SWITCHBOARD_SUBSCRIPTION_BACKOFF_MS,
      c.SWITCHBOARD_SUBSCRIPTION_RETRY_WINDOW_MS,
    ),
    /** Live monitoring: stored bucket width, alert rules' rate window and evaluation interval. */
    monitoring: {
      bucketMs: c.SWITCHBOARD_MONITORING_BUCKET_MS,
      alertWindowMs: c.SWITCHBOARD_ALERT_WINDOW_MS,
      alertEvalMs: c.SWITCHBOARD_ALERT_EVAL_MS,
    },
    /** CRM timeline sync: retries with backoff within a window, then dead (docs/integrations.md). */
    crmSyncRetry: retrySettings(c.SWITCHBOARD_CRM_SYNC_BACKOFF_MS, c.SWITCHBOARD_CRM_SYNC_RETRY_WINDOW_MS),
    pollMs: c.SWITCHBOARD_POLL_MS,
    /** How often a worker folds message-count changes into the analytics counts (packages/db README). */
    analyticsFoldMs: c.SWITCHBOARD_ANALYTICS_FOLD_MS,
    concurrency: c.SWITCHBOARD_CONCURRENCY,
    seedExamples: c.SWITCHBOARD_SEED_EXAMPLES,
    examplesDir: c.SWITCHBOARD_EXAMPLES_DIR ? resolve(c.SWITCHBOARD_EXAMPLES_DIR) : undefined,
    editorDir: c.SWITCHBOARD_EDITOR_DIR ? resolve(c.SWITCHBOARD_EDITOR_DIR) : DEFAULT_EDITOR_DIR,
    bodyLimit: c.SWITCHBOARD_BODY_LIMIT,
    fault: c.SWITCHBOARD_FAULT,
    encryptionKey: c.SWITCHBOARD_ENCRYPTION_KEY,
    /** Parsed SWITCHBOARD_HTTP_ALLOWLIST: what the outbound guard lets through anyway. */
    httpAllowlist: c.SWITCHBOARD_HTTP_ALLOWLIST ?? [],
    /** Accounts, sessions and request limits (see docs/security.md). */
    auth: {
      ownerEmail: c.SWITCHBOARD_OWNER_EMAIL,
      ownerPassword: c.SWITCHBOARD_OWNER_PASSWORD,
      sessionDays: c.SWITCHBOARD_SESSION_DAYS,
      trustProxy: c.SWITCHBOARD_TRUST_PROXY,
      apiRateLimit: c.SWITCHBOARD_API_RATE_LIMIT,
    },
    whatsapp: {
      mode: c.WHATSAPP_MODE,
      phoneNumberId:
        c.WHATSAPP_PHONE_NUMBER_ID ?? (c.WHATSAPP_MODE === 'sandbox' ? '100000000000000' : undefined),
      accessToken: c.WHATSAPP_ACCESS_TOKEN,
      appSecret: c.WHATSAPP_APP_SECRET,
      verifyToken: c.WHATSAPP_VERIFY_TOKEN,
      wabaId: c.WHATSAPP_WABA_ID ?? null,
      displayPhoneNumber:
        c.WHATSAPP_DISPLAY_PHONE_NUMBER ?? (c.WHATSAPP_MODE === 'sandbox' ? '15550000000' : null),
      apiUrl: c.WHATSAPP_API_URL,
      apiVersion: c.WHATSAPP_API_VERSION,
      ratePerSecond: c.WHATSAPP_RATE_PER_SECOND,
      pairSpacingMs: c.WHATSAPP_PAIR_SPACING_MS,
      maxAttempts: c.WHATSAPP_MAX_ATTEMPTS,
      retryBaseMs: c.WHATSAPP_RETRY_BASE_MS,
      blockedPrefixes: c.WHATSAPP_BLOCKED_PREFIXES,
      messagingLimit: c.WHATSAPP_MESSAGING_LIMIT,
      optOutKeywords: c.WHATSAPP_OPT_OUT_KEYWORDS,
      optInKeywords: c.WHATSAPP_OPT_IN_KEYWORDS,
      sandboxStatusDelaysMs: c.WHATSAPP_SANDBOX_STATUS_DELAYS_MS,
      sandboxTemplateReviewMs: c.WHATSAPP_SANDBOX_TEMPLATE_REVIEW_MS,
      templateSyncMinutes: c.SWITCHBOARD_TEMPLATE_SYNC_MINUTES,
    },
  };
}
