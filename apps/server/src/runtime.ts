import { hostname } from 'node:os';
import type {
  AsyncOf,
  ContactRepository,
  Database,
  Db,
  EventRepository,
  OutboxRepository,
  SimulatorRepository,
} from '@switchboard/db';
import {
  createEngine,
  type Engine,
  type NodeRegistry,
  type NodeServices,
  type RunStore,
  type Scheduler,
  startScheduler,
} from '@switchboard/engine';
import { createRegistry, type HttpService } from '@switchboard/nodes';
import { openRedisRateLimiter } from '@switchboard/queue';
import { ExpressionPool, runCode } from '@switchboard/sandbox';
import { WhatsAppSandbox } from '@switchboard/whatsapp';
import { startMessageCountFold } from './analytics/fold-loop.js';
import { resolveApiKey } from './api-key.js';
import { AuditLog } from './audit/recorder.js';
import { AuthService } from './auth/index.js';
import { CampaignService, startCampaignRunner } from './campaigns/index.js';
import { ChannelService, SIMULATOR_CHANNEL } from './channels.js';
import type { Config } from './config.js';
import { CrmSyncTap, startCrmSync } from './crm-sync/index.js';
import { DEFAULT_EXAMPLES_DIR, seedExamples } from './examples.js';
import { contactLookup } from './expressions.js';
import { FlowService } from './flow-service.js';
import { HttpClient } from './http/client.js';
import { CredentialService } from './http/credentials.js';
import { OutboundGuard } from './http/guard.js';
import { type InboxBus, openInboxBus } from './inbox/index.js';
import { announcingOutbox, announcingWhatsApp } from './inbox/outbox-events.js';
import type { AppLogger } from './logger.js';
import { type Loop, startLoop } from './loop.js';
import { createMetrics, type Metrics } from './metrics.js';
import { registerQueueGauges, startMonitoring } from './monitoring/index.js';
import { Routing, startRoutingLoop } from './routing/index.js';
import { FlowSchedules, startScheduleLoop } from './schedules.js';
import { openStorage } from './storage.js';
import {
  runFailedEvent,
  SubscriptionEvents,
  SubscriptionService,
  startSubscriptionDelivery,
  tapConversations,
} from './subscriptions/index.js';
import { startTemplateSync } from './templates/schedule.js';
import { unsendableTemplate } from './templates/send-gate.js';
import { TemplateService } from './templates/service.js';
import { Vault } from './vault.js';
import { installEventWaits, WakingOutbox } from './waits/index.js';
import { contactsService } from './whatsapp/contacts-service.js';
import { type Dispatcher, startDispatcher } from './whatsapp/dispatcher.js';
import { EventJobs } from './whatsapp/event-jobs.js';
import { IngestQueue } from './whatsapp/ingest-queue.js';
import { whatsappService } from './whatsapp/send.js';
import { startSender } from './whatsapp/sender.js';
import { simulatorDispatch } from './whatsapp/simulator.js';

export interface Runtime {
  config: Config;
  logger: AppLogger;
  /** The repositories (and transactions over them) every part of the server uses. */
  database: Database;
  /** The raw SQLite handle in the embedded mode, for SQLite-only tools (benchmarks, key rotation). */
  db: Db | undefined;
  /** Throws when the database cannot answer (readiness). */
  pingDatabase(): Promise<void>;
  store: RunStore;
  flows: FlowService;
  registry: NodeRegistry;
  engine: Engine;
  scheduler: Scheduler | undefined;
  metrics: Metrics;
  apiKey: { key: string; created: boolean; file?: string };
  /** Accounts, sessions, API keys, invitations, sign-in throttling and the API rate limit (see auth/). */
  auth: AuthService;
  /** Who changed, activated or deleted a flow, used or changed a credential, signed in (see audit/). */
  audit: AuditLog;
  channels: ChannelService;
  /** Named credentials for HTTP, CRM, Slack and helpdesk nodes (encrypted by the vault, never returned). */
  credentials: CredentialService;
  /** Outbound HTTP for those nodes (also `services.http`): applies credentials, limits, timeouts. */
  http: HttpService;
  events: AsyncOf<EventRepository>;
  contacts: AsyncOf<ContactRepository>;
  outbox: AsyncOf<OutboxRepository>;
  /** Group commit for webhook bodies. */
  ingest: IngestQueue;
  /**
   * The fake Cloud API. Always there: in sandbox mode every channel sends to it; in live mode only the
   * editor's simulator channel does (and the sandbox answers for no other number).
   */
  sandbox: WhatsAppSandbox;
  /** The editor's simulator: sessions, simulated messages and conversations on the `simulator` channel. */
  simulator: AsyncOf<SimulatorRepository>;
  dispatcher: Dispatcher | undefined;
  /** Scale-out with REDIS_URL: stored events become BullMQ jobs, one contact's in order (see event-jobs). */
  eventJobs: EventJobs | undefined;
  /** Active scheduled flows: their next times and the loop that fires them. */
  schedules: FlowSchedules;
  scheduleLoop: Loop | undefined;
  sender: Loop | undefined;
  /** Delivers waits on child runs that ended unnoticed (see `installEventWaits`). */
  waitSweeper?: Loop | undefined;
  /** The inbox's live events (conversation changes, messages in and out) for `GET /api/inbox/stream`. */
  inbox: InboxBus;
  /** Teams, agents and conversations: assignment, queues, SLA escalation (also `services.routing`). */
  routing: Routing;
  /** Escalates conversations past their SLA and drains queues of teams that opened. */
  routingLoop?: Loop | undefined;
  /** Outgoing event subscriptions: signed deliveries to other systems (docs/integrations.md). */
  subscriptions: SubscriptionService;
  /** Posts due subscription deliveries, retries them, parks them dead (workers only). */
  subscriptionDelivery?: Loop | undefined;
  /** Each channel's WhatsApp message templates: sync, create, and the send check's list. */
  templates: TemplateService;
  /** CRM timeline sync: turns WhatsApp messages into sync records (docs/integrations.md). */
  crmSyncTap: CrmSyncTap;
  /** Writes due sync records on the CRMs' timelines, with retries (workers only). */
  crmSync?: Loop | undefined;
  /** Broadcast campaigns: lifecycle, figures and the clock the runner reads (docs/campaigns.md). */
  campaigns: CampaignService;
  /** Sends running campaigns a batch at a time within the messaging limit (workers only). */
  campaignRunner?: Loop | undefined;
  /** Where this server is reachable (set once it listens); the sandbox posts webhooks here. */
  baseUrl: string;
  close(): Promise<void>;
}

/** How long a message caught mid-send by a crash waits for Meta's status before it is sent again. */
const RESEND_GRACE_MS = 10_000;

/** How soon a channel or credential written by another process is seen here (shared database). */
const SHARED_CACHE_MS = 2_000;

/**
 * The composition root of the embedded mode: SQLite store, built-in nodes, engine and the in-process
 * scheduler. Runs left mid-way by a previous process resume as soon as the scheduler starts.
 */
export async function startRuntime(config: Config, logger: AppLogger): Promise<Runtime> {
  const storage = await openStorage(config, logger);
  let eventJobs: EventJobs | undefined;
  try {
    const { database, store, db } = storage;
    const { repos } = database;
    const registry = createRegistry();
    // On a shared database, flows changed by other processes reach this one's caches within half a second.
    const flows = new FlowService(repos.flows, registry, storage.embedded ? 0 : 500);
    // `web` only stores and enqueues: the loops that execute runs, dispatch events and send are the
    // workers' (`all` runs both).
    const works = config.role !== 'web';
    /** Connections opened below, closed after the loops stop. */
    const closers: Array<() => Promise<void>> = [];
    // One process needs no queue between its ingest and its dispatcher; several share one in Redis.
    eventJobs =
      config.redisUrl && !storage.embedded
        ? new EventJobs(config.redisUrl, config.redisPrefix, logger)
        : undefined;
    const jobs = eventJobs;
    const metrics = createMetrics();
    const services: NodeServices = {};
    // One isolate, reused: {{ }} expressions and condition.expression evaluate in microseconds.
    const expressions = new ExpressionPool();
    const engine = createEngine({
      services,
      expressions,
      // Read lazily, only by steps that mention `contact`: the repository is created just below.
      contactOf: (run, trigger) => contactLookup(runtime.contacts)(run, trigger),
      registry,
      store,
      flows,
      logger,
      leaseMs: config.leaseMs,
      owner: `${hostname()}:${process.pid}`,
    });
    engine.on(metrics.onEngineEvent);
    engine.on((e) => logger.debug({ event: e }, e.type));
    if (config.fault && config.fault.kind !== 'kill-after-webhook')
      installFault(engine, config.fault, logger);
    const apiKey = resolveApiKey(config.dataDir, config.apiKey);
    const auth = new AuthService({
      repos: { users: repos.users, apiKeys: repos.apiKeys },
      ownerKey: () => runtime.apiKey.key,
      logger: logger.child({ component: 'auth' }),
      sessionDays: config.auth.sessionDays,
      apiRateLimit: config.auth.apiRateLimit,
    });
    const vault = Vault.open(config.dataDir, config.encryptionKey);
    const channels = new ChannelService(repos.channels, vault);
    await channels.load();
    await channels.ensureDefault(config.whatsapp, new Date().toISOString());
    await channels.ensureSimulator(new Date().toISOString());
    const credentials = new CredentialService(repos.credentials, vault);
    if (!storage.embedded) {
      // Other processes change channels and credentials too: their writes reach this one's caches within
      // SHARED_CACHE_MS (the tables are small; a reload is one query).
      const refresh = startLoop({
        name: 'shared-caches',
        pollMs: SHARED_CACHE_MS,
        onError: (error) => logger.warn({ err: error }, 'reloading channels from the database failed'),
        tick: async () => {
          credentials.forget();
          await channels.load();
          return { again: false };
        },
      });
      closers.push(() => refresh.stop());
    }
    const audit = new AuditLog({
      repo: repos.audit,
      logger: logger.child({ component: 'audit' }),
    });
    auth.onAuthEvent((event) => audit.authEvent(event));
    const http = new HttpClient({
      credentials,
      logger: logger.child({ component: 'http' }),
      // Loopback, private, link-local and metadata addresses are refused unless SWITCHBOARD_HTTP_ALLOWLIST allows them.
      guard: new OutboundGuard({ allow: config.httpAllowlist }),
      onCredentialUse: (use) => audit.credentialUsed(use),
    });
    const sandboxMode = config.whatsapp.mode === 'sandbox';
    const events = repos.events;
    const contacts = repos.contacts;
    // Status changes that end waits ("wait until read") deliver their keys in the same transaction.
    const outbox = new WakingOutbox(database, () => runtime.scheduler?.nudge());
    // Embedded only: with several processes, another one may be sending these right now.
    // They wait a little before going again: Meta's `sent` status for one it did take (it carries our
    // id) reconciles it meanwhile, so it is not sent twice.
    const startedAt = Date.now();
    const requeued = storage.embedded
      ? await outbox.requeueSending(
          new Date(startedAt).toISOString(),
          new Date(startedAt + RESEND_GRACE_MS).toISOString(),
        )
      : 0;
    if (requeued > 0)
      logger.warn({ messages: requeued }, 'messages caught mid-send by a previous process are queued again');
    const sandbox = new WhatsAppSandbox({
      business: (phoneNumberId) => {
        const c = channels.byPhoneNumberId(phoneNumberId);
        const simulator = c?.id === SIMULATOR_CHANNEL;
        // In live mode the sandbox stands in for the simulator's number only: it must never sign
        // webhooks for a real one.
        if (!c || (!sandboxMode && !simulator)) return undefined;
        return {
          phoneNumberId,
          displayPhoneNumber: c.displayPhoneNumber ?? '15550000000',
          wabaId: c.wabaId ?? '0',
          appSecret: c.secrets.appSecret,
          // The fake Graph route takes no API key: the simulator's sends must carry its own token.
          ...(simulator ? { accessToken: c.secrets.accessToken } : {}),
        };
      },
      ingressUrl: () => `${runtime.baseUrl}/webhooks/whatsapp`,
      statusDelaysMs: config.whatsapp.sandboxStatusDelaysMs,
      // Template webhooks name the account, not a number: one of its numbers the sandbox serves signs them.
      phoneNumbersOfWaba: (wabaId) =>
        channels
          .all()
          .filter((c) => (c.wabaId ?? '0') === wabaId)
          .map((c) => c.phoneNumberId),
      templateReviewDelayMs: config.whatsapp.sandboxTemplateReviewMs,
    });
    const simulator = repos.simulator;
    // The inbox stream's events: in this process, or through Postgres NOTIFY between processes.
    const inbox = await openInboxBus(config, logger);
    closers.push(() => inbox.close());
    // Outgoing event subscriptions: events become delivery rows (see subscriptions/), the workers' loop
    // posts them. URLs pass the same outbound guard as the nodes, at creation and at every attempt.
    const subscriptionGuard = new OutboundGuard({ allow: config.httpAllowlist });
    const subscriptionEvents = new SubscriptionEvents(repos, () => runtime.subscriptionDelivery?.nudge());
    const subscriptions = new SubscriptionService({
      repo: repos.subscriptions,
      vault,
      guard: subscriptionGuard,
      events: subscriptionEvents,
      nudge: () => runtime.subscriptionDelivery?.nudge(),
    });
    // CRM timeline sync: the dispatcher adds a record per message of a channel that syncs (crm-sync/).
    const crmSyncTap = new CrmSyncTap(repos);
    engine.on((e) => {
      const failed = runFailedEvent(e, new Date());
      if (failed)
        subscriptionEvents
          .emit(failed)
          .catch((error) => logger.warn({ err: error }, 'run.failed could not be queued for subscriptions'));
    });
    const runtime: Runtime = {
      config,
      logger,
      database,
      db,
      pingDatabase: () => storage.ping(),
      store,
      flows,
      registry,
      engine,
      metrics,
      apiKey,
      auth,
      audit,
      channels,
      credentials,
      http,
      events,
      contacts,
      outbox,
      ingest: new IngestQueue(events),
      sandbox,
      simulator,
      inbox,
      subscriptions,
      templates: new TemplateService({ database, channels, sandbox, config, logger }),
      crmSyncTap,
      campaigns: new CampaignService({
        database,
        channels,
        tier: config.whatsapp.messagingLimit,
        events: subscriptionEvents,
        nudge: () => runtime.campaignRunner?.nudge(),
      }),
      baseUrl: `http://127.0.0.1:${config.port}`,
      scheduler: works
        ? startScheduler(engine, { pollMs: config.pollMs, concurrency: config.concurrency, logger })
        : undefined,
      dispatcher: undefined,
      eventJobs: jobs,
      sender: undefined,
      schedules: new FlowSchedules({
        database,
        flows,
        engine,
        logger,
      }),
      scheduleLoop: undefined,
      routing: new Routing({
        database,
        logger,
        // Slack escalations post through the same outbound HTTP client as the nodes.
        http: () => runtime.http,
        baseUrl: () => runtime.baseUrl,
        // Assignments and closes also become subscription events (once, in the process that made them).
        inbox: tapConversations(inbox, subscriptionEvents, repos.conversations, logger),
      }),
      async close() {
        const loops = [
          runtime.scheduler,
          runtime.dispatcher,
          runtime.sender,
          runtime.scheduleLoop,
          runtime.waitSweeper,
          runtime.routingLoop,
          runtime.subscriptionDelivery,
          runtime.crmSync,
          runtime.campaignRunner,
        ];
        runtime.campaignRunner = undefined;
        runtime.crmSync = undefined;
        runtime.subscriptionDelivery = undefined;
        runtime.waitSweeper = undefined;
        runtime.routingLoop = undefined;
        runtime.scheduleLoop = undefined;
        runtime.scheduler = undefined;
        runtime.dispatcher = undefined;
        runtime.sender = undefined;
        await Promise.all(loops.map((l) => l?.stop()));
        sandbox.close();
        expressions.dispose();
        for (const close of closers) await close();
        await storage.close();
      },
    };
    // SWITCHBOARD_OWNER_EMAIL / _PASSWORD: the owner account, on a start with no users yet.
    await auth.ensureOwnerFromEnv(config.auth.ownerEmail, config.auth.ownerPassword);
    // Example flows, and the teams the routing examples use, on a first start (inactive, never overwriting).
    if (config.seedExamples)
      await seedExamples(flows, config.examplesDir ?? DEFAULT_EXAMPLES_DIR, logger, runtime.routing.teams);
    // Messaging nodes send through the same outbox (and policy) as the API.
    Object.assign(services, {
      whatsapp: announcingWhatsApp(whatsappService(runtime), inbox),
      contacts: contactsService(contacts),
      http,
      routing: runtime.routing,
      code: {
        run: async (args: { code: string; input: unknown; timeoutMs: number; memoryMb: number }) =>
          (await runCode(args)) as never,
      },
    });
    if (works) {
      // Rows follow the flows as they are now (a previous process may have died between a flow write
      // and its sync); occurrences that fell due while no server ran are then fired by the missed policy.
      await runtime.schedules.syncAll();
      runtime.scheduleLoop = startScheduleLoop({
        schedules: runtime.schedules,
        pollMs: config.pollMs,
        onRunsStarted: () => runtime.scheduler?.nudge(),
        logger,
      });
      runtime.dispatcher = startDispatcher({
        database,
        flows,
        engine,
        onRunsWoken: () => runtime.scheduler?.nudge(),
        logger,
        metrics,
        pollMs: config.pollMs,
        simulator: simulatorDispatch({ flows, logger }),
        sweepOnly: jobs !== undefined,
        inbox,
        subscriptions: subscriptionEvents,
        crmSync: crmSyncTap,
        onCrmSyncQueued: () => runtime.crmSync?.nudge(),
      });
      const dispatcher = runtime.dispatcher;
      // Each job is a database transaction: a few at once keep the pool (10 connections) for the loops too.
      const eventWorker = jobs?.process((job) => dispatcher.handleJob(job), Math.min(config.concurrency, 8));
      // Closed before the queue (below): in-flight jobs finish, the rest stay for other workers.
      if (eventWorker) closers.push(() => eventWorker.close());
      runtime.waitSweeper = await installEventWaits(runtime, services);
      runtime.routingLoop = startRoutingLoop({ routing: runtime.routing, logger });
      const shared = config.redisUrl ? openRedisRateLimiter(config.redisUrl, config.redisPrefix) : undefined;
      if (shared) closers.push(shared.close);
      runtime.sender = startSender({
        ...(shared ? { sharedLimit: shared.limiter } : {}),
        outbox: announcingOutbox(outbox, inbox),
        contacts,
        channels,
        whatsapp: config.whatsapp,
        // The simulator's channel always talks to the sandbox, whatever the mode; so does every channel in
        // sandbox mode.
        apiUrl: (channelId) =>
          sandboxMode || channelId === SIMULATOR_CHANNEL
            ? `${runtime.baseUrl}/sandbox/graph`
            : (config.whatsapp.apiUrl ?? 'https://graph.facebook.com'),
        logger,
        metrics,
        pollMs: config.pollMs,
        leaseMs: config.sendLeaseMs,
        // With several processes, claims of one that died lapse; in the embedded mode the start did it.
        requeueExpired: !storage.embedded,
        unsendableTemplate: (row) => unsendableTemplate(database, row),
      });
      // Templates at start (awaited for the in-process sandbox, so the first sends are checked; Meta may
      // be slow, and the start must not wait for it), then on a schedule.
      const firstSync = runtime.templates
        .syncAll()
        .catch((error) => logger.warn({ err: error }, 'syncing message templates at start failed'));
      if (sandboxMode) await firstSync;
      else void firstSync;
      if (config.whatsapp.templateSyncMinutes > 0) {
        const sync = startTemplateSync(
          runtime.templates,
          config.whatsapp.templateSyncMinutes * 60_000,
          logger,
        );
        closers.push(async () => sync.stop());
      }
      runtime.subscriptionDelivery = startSubscriptionDelivery({
        repo: repos.subscriptions,
        target: (id) => subscriptions.target(id),
        guard: subscriptionGuard,
        retry: config.subscriptionRetry,
        logger,
        pollMs: config.pollMs,
        onAttempt: (outcome) => metrics.subscriptionAttempts.inc({ outcome }),
      });
      runtime.crmSync = startCrmSync({
        repo: repos.crmSync,
        http: () => runtime.http,
        retry: config.crmSyncRetry,
        logger,
        pollMs: config.pollMs,
      });
      runtime.campaignRunner = startCampaignRunner({
        rt: runtime,
        service: runtime.campaigns,
        logger,
        metrics,
        pollMs: config.pollMs,
      });
      const fold = startMessageCountFold({
        analytics: repos.analytics,
        logger,
        pollMs: config.analyticsFoldMs,
      });
      closers.unshift(() => fold.stop());
    }
    // Live monitoring (docs/monitoring.md): every process writes its counters per time bucket; workers
    // also sample the queues, evaluate alert rules and send their notices. Stopped before the database.
    registerQueueGauges(metrics.registry, repos.monitoring, config.whatsapp.ratePerSecond);
    const monitoring = startMonitoring({
      repo: repos.monitoring,
      registry: metrics.registry,
      http: () => runtime.http,
      logger,
      settings: config.monitoring,
      evaluates: works,
      link: () => `${runtime.baseUrl}/monitoring`,
    });
    closers.unshift(() => monitoring.stop());
    if (jobs) closers.push(() => jobs.close());
    return runtime;
  } catch (error) {
    await eventJobs?.close().catch(() => {});
    await storage.close().catch(() => {});
    throw error;
  }
}

/** Test-only: SIGKILLs this process right after (or while) a node's step is committed. */
function installFault(engine: Engine, fault: NonNullable<Config['fault']>, logger: AppLogger) {
  logger.warn({ fault }, 'fault injection is on (SWITCHBOARD_FAULT): this process will kill itself');
  engine.on((e) => {
    const hit =
      (fault.kind === 'kill-after-step' && e.type === 'node.finished' && e.nodeId === fault.nodeId) ||
      (fault.kind === 'kill-during-step' && e.type === 'node.started' && e.nodeId === fault.nodeId);
    if (hit) process.kill(process.pid, 'SIGKILL');
  });
}
