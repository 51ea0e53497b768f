import type { AnalyticsQueries } from './analytics-queries.js';
import type { ApiKeyRepository } from './api-key-repo.js';
import type { AuditRepository } from './audit-repo.js';
import type { CallRepository } from './call-repo.js';
import type { CampaignRepository } from './campaign-repo.js';
import type { ChannelRepository } from './channel-repo.js';
import type { ContactImportRepository } from './contact-import-repo.js';
import type { ContactRepository } from './contact-repo.js';
import type { ConversationRepository } from './conversation-repo.js';
import type { CredentialRepository } from './credential-repo.js';
import type { CrmSyncRepository } from './crm-sync-repo.js';
import type { EventRepository } from './event-repo.js';
import type { FlowRepository } from './flow-repo.js';
import type { MonitoringRepository } from './monitoring-repo.js';
import type { OutboxRepository } from './outbox-repo.js';
import type { AsyncOf } from './ports.js';
import type { RunReadRepository } from './run-read-repo.js';
import type { SqliteRunStore } from './run-store.js';
import type { ScheduleRepository } from './schedule-repo.js';
import type { SegmentRepository } from './segment-repo.js';
import type { SimulatorRepository } from './simulator-repo.js';
import type { SubscriptionRepository } from './subscription-repo.js';
import type { TeamRepository } from './team-repo.js';
import type { TemplateRepository } from './template-repo.js';
import type { UserRepository } from './user-repo.js';

/** Every repository, through its asynchronous face: what the server uses, on either database. */
export interface Repositories {
  flows: AsyncOf<FlowRepository>;
  schedules: AsyncOf<ScheduleRepository>;
  calls: AsyncOf<CallRepository>;
  events: AsyncOf<EventRepository>;
  outbox: AsyncOf<OutboxRepository>;
  channels: AsyncOf<ChannelRepository>;
  contacts: AsyncOf<ContactRepository>;
  teams: AsyncOf<TeamRepository>;
  conversations: AsyncOf<ConversationRepository>;
  users: AsyncOf<UserRepository>;
  apiKeys: AsyncOf<ApiKeyRepository>;
  credentials: AsyncOf<CredentialRepository>;
  audit: AsyncOf<AuditRepository>;
  simulator: AsyncOf<SimulatorRepository>;
  /** Outgoing event subscriptions, their deliveries and the delivery log. */
  subscriptions: AsyncOf<SubscriptionRepository>;
  /** Each channel's WhatsApp message templates and its last sync. */
  templates: AsyncOf<TemplateRepository>;
  /** Live monitoring: samples per process and bucket, queue figures, alert rules and incidents. */
  monitoring: AsyncOf<MonitoringRepository>;
  /** CRM timeline sync: per-channel settings and one record per message logged. */
  crmSync: AsyncOf<CrmSyncRepository>;
  /** Contacts read and upserted a batch at a time (CSV imports). */
  contactImport: AsyncOf<ContactImportRepository>;
  /** Saved contact segments and the contacts a filter selects. */
  segments: AsyncOf<SegmentRepository>;
  /** Broadcast campaigns and their recipients (progress read from the outbox). */
  campaigns: AsyncOf<CampaignRepository>;
  /** The executions list, open keyed waits, stored hook deliveries. */
  runReads: AsyncOf<RunReadRepository>;
  /** Messaging, flow, routing and consent figures over a date range (analytics-model.ts). */
  analytics: AsyncOf<AnalyticsQueries>;
  runs: RunWrites;
}

/**
 * The run-store writes that server logic makes together with its own (a run started with its parent
 * link, a wait woken with the event marked processed): inside a transaction they join it.
 */
export interface RunWrites {
  createRun(run: Parameters<SqliteRunStore['createRunNow']>[0]): Promise<void>;
  /** Wakes every run parked on `key`; resolves to the ids of the runs woken. */
  fireWaits(args: Parameters<SqliteRunStore['fireWaitsNow']>[0]): Promise<string[]>;
  /** A run's snapshot (the engine's RunState), or undefined. */
  getState(runId: string): Promise<unknown>;
}

/** The repositories inside a transaction. */
export interface TxRepositories extends Repositories {
  /**
   * Runs `fn` in a savepoint: when it rejects, only its writes are undone and the transaction goes on
   * (on Postgres a failed statement would otherwise spoil the whole transaction).
   */
  savepoint<T>(fn: (repos: TxRepositories) => Promise<T>): Promise<T>;
}

/** The repositories of one database, and transactions over them. */
export interface Database {
  readonly dialect: 'sqlite' | 'postgres';
  readonly repos: Repositories;
  /**
   * Runs `fn` in one transaction with repositories bound to it: everything it writes commits when it
   * resolves and nothing does when it rejects. `fn` should only read and write (no network calls).
   */
  transaction<T>(fn: (repos: TxRepositories) => Promise<T>): Promise<T>;
}
