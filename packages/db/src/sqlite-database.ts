import { AnalyticsQueries } from './analytics-queries.js';
import { ApiKeyRepository } from './api-key-repo.js';
import { AuditRepository } from './audit-repo.js';
import { CallRepository } from './call-repo.js';
import { CampaignRepository } from './campaign-repo.js';
import { ChannelRepository } from './channel-repo.js';
import type { Db } from './connection.js';
import { ContactImportRepository } from './contact-import-repo.js';
import { ContactRepository } from './contact-repo.js';
import { ConversationRepository } from './conversation-repo.js';
import { CredentialRepository } from './credential-repo.js';
import { CrmSyncRepository } from './crm-sync-repo.js';
import { EventRepository } from './event-repo.js';
import { FlowRepository } from './flow-repo.js';
import { MonitoringRepository } from './monitoring-repo.js';
import { OutboxRepository } from './outbox-repo.js';
import { asyncOf } from './ports.js';
import type { Database, Repositories, TxRepositories } from './repositories.js';
import { RunReadRepository } from './run-read-repo.js';
import { SqliteRunStore } from './run-store.js';
import { ScheduleRepository } from './schedule-repo.js';
import { SegmentRepository } from './segment-repo.js';
import { SimulatorRepository } from './simulator-repo.js';
import { SqliteGate } from './sqlite-gate.js';
import { SubscriptionRepository } from './subscription-repo.js';
import { TeamRepository } from './team-repo.js';
import { TemplateRepository } from './template-repo.js';
import { UserRepository } from './user-repo.js';

/**
 * The embedded database behind the `Database` interface: the better-sqlite3 repositories, each behind
 * the connection's gate, and transactions that may await inside (see SqliteGate). Inside a transaction
 * the same repositories are used: the gate knows which calls belong to it.
 */
export function sqliteDatabase(db: Db, options: { simulatorChannel: string }): Database {
  const gate = SqliteGate.of(db.$client);
  const wrap = <T extends object>(repo: T) => asyncOf(repo, gate);
  const store = new SqliteRunStore(db);
  const repos: Repositories = {
    flows: wrap(new FlowRepository(db)),
    schedules: wrap(new ScheduleRepository(db)),
    calls: wrap(new CallRepository(db)),
    events: wrap(new EventRepository(db)),
    outbox: wrap(new OutboxRepository(db)),
    channels: wrap(new ChannelRepository(db)),
    contacts: wrap(new ContactRepository(db)),
    teams: wrap(new TeamRepository(db)),
    conversations: wrap(new ConversationRepository(db)),
    users: wrap(new UserRepository(db)),
    apiKeys: wrap(new ApiKeyRepository(db)),
    credentials: wrap(new CredentialRepository(db)),
    audit: wrap(new AuditRepository(db)),
    simulator: wrap(new SimulatorRepository(db, options.simulatorChannel)),
    subscriptions: wrap(new SubscriptionRepository(db)),
    templates: wrap(new TemplateRepository(db)),
    monitoring: wrap(new MonitoringRepository(db)),
    crmSync: wrap(new CrmSyncRepository(db)),
    contactImport: wrap(new ContactImportRepository(db)),
    segments: wrap(new SegmentRepository(db, options.simulatorChannel)),
    campaigns: wrap(new CampaignRepository(db)),
    runReads: wrap(new RunReadRepository(db)),
    analytics: wrap(new AnalyticsQueries(db)),
    runs: {
      createRun: (run) => store.createRun(run),
      fireWaits: (args) => store.fireWaits(args),
      getState: (runId) => gate.run(() => store.getState(runId)),
    },
  };
  let savepoints = 0;
  const inTransaction: TxRepositories = {
    ...repos,
    // Inside the gate's transaction nobody else uses the connection, so these plain statements are safe.
    async savepoint(fn) {
      const name = `sb_sp_${++savepoints}`;
      db.$client.exec(`savepoint ${name}`);
      try {
        const result = await fn(inTransaction);
        db.$client.exec(`release ${name}`);
        return result;
      } catch (error) {
        db.$client.exec(`rollback to ${name}`);
        db.$client.exec(`release ${name}`);
        throw error;
      }
    },
  };
  return {
    dialect: 'sqlite',
    repos,
    transaction: (fn) => gate.transaction(() => fn(inTransaction)),
  };
}
