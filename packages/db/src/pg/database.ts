import type { Database, Repositories, TxRepositories } from '../repositories.js';
import { PgAnalyticsQueries } from './analytics-queries.js';
import { PgApiKeyRepository } from './api-key-repo.js';
import { PgAuditRepository } from './audit-repo.js';
import { PgCallRepository } from './call-repo.js';
import { PgCampaignRepository } from './campaign-repo.js';
import { PgChannelRepository } from './channel-repo.js';
import type { PgDb, PgSession, PgTx } from './connection.js';
import { PgContactImportRepository } from './contact-import-repo.js';
import { PgContactRepository } from './contact-repo.js';
import { PgConversationRepository } from './conversation-repo.js';
import { PgCredentialRepository } from './credential-repo.js';
import { PgCrmSyncRepository } from './crm-sync-repo.js';
import { PgEventRepository } from './event-repo.js';
import { PgFlowRepository } from './flow-repo.js';
import { PgMonitoringRepository } from './monitoring-repo.js';
import { PgOutboxRepository } from './outbox-repo.js';
import { PgRunReadRepository } from './run-read-repo.js';
import { PgRunStore } from './run-store.js';
import { PgScheduleRepository } from './schedule-repo.js';
import { PgSegmentRepository } from './segment-repo.js';
import { PgSimulatorRepository } from './simulator-repo.js';
import { PgSubscriptionRepository } from './subscription-repo.js';
import { PgTeamRepository } from './team-repo.js';
import { PgTemplateRepository } from './template-repo.js';
import { PgUserRepository } from './user-repo.js';

/** The repositories on one session: the pool, or an open transaction they all join. */
function repositoriesOn(session: PgSession, simulatorChannel: string): Repositories {
  const runs = new PgRunStore(session);
  return {
    flows: new PgFlowRepository(session),
    schedules: new PgScheduleRepository(session),
    calls: new PgCallRepository(session),
    events: new PgEventRepository(session),
    outbox: new PgOutboxRepository(session),
    channels: new PgChannelRepository(session),
    contacts: new PgContactRepository(session),
    teams: new PgTeamRepository(session),
    conversations: new PgConversationRepository(session),
    users: new PgUserRepository(session),
    apiKeys: new PgApiKeyRepository(session),
    credentials: new PgCredentialRepository(session),
    audit: new PgAuditRepository(session),
    simulator: new PgSimulatorRepository(session, simulatorChannel),
    subscriptions: new PgSubscriptionRepository(session),
    templates: new PgTemplateRepository(session),
    monitoring: new PgMonitoringRepository(session),
    crmSync: new PgCrmSyncRepository(session),
    contactImport: new PgContactImportRepository(session),
    segments: new PgSegmentRepository(session, simulatorChannel),
    campaigns: new PgCampaignRepository(session),
    runReads: new PgRunReadRepository(session),
    analytics: new PgAnalyticsQueries(session),
    runs: {
      createRun: (run) => runs.createRun(run),
      fireWaits: (args) => runs.fireWaits(args),
      getState: (runId) => runs.getState(runId),
    },
  };
}

/** The repositories on an open transaction; a savepoint is drizzle's nested transaction. */
function transactionRepositories(tx: PgTx, simulatorChannel: string): TxRepositories {
  return {
    ...repositoriesOn(tx, simulatorChannel),
    savepoint: (fn) => tx.transaction((sp) => fn(transactionRepositories(sp, simulatorChannel))),
  };
}

/**
 * The scale-out database behind the `Database` interface. A transaction hands its callback
 * repositories bound to that transaction (a repository method that opens its own transaction inside
 * it gets a savepoint), so everything the callback writes commits or rolls back together.
 */
export function pgDatabase(db: PgDb, options: { simulatorChannel: string }): Database {
  return {
    dialect: 'postgres',
    repos: repositoriesOn(db, options.simulatorChannel),
    transaction: (fn) => db.transaction((tx) => fn(transactionRepositories(tx, options.simulatorChannel))),
  };
}
