export {
  type AgentLoad,
  type AnalyticsQuery,
  AnalyticsRangeError,
  type ConsentReport,
  type DayBucket,
  dayBuckets,
  type FailingNode,
  type FlowsReport,
  isTimeZone,
  localDate,
  MAX_ANALYTICS_DAYS,
  type MessageCounts,
  type MessagingReport,
  type RoutingFigures,
  type RoutingReport,
  type RunCounts,
  startOfLocalDay,
} from './analytics-model.js';
export { AnalyticsQueries } from './analytics-queries.js';
export { type ApiKeyMeta, ApiKeyRepository, type ApiKeyRow } from './api-key-repo.js';
export {
  type AuditActorKind,
  AuditCursorError,
  type AuditData,
  type AuditEvent,
  type AuditEventInput,
  type AuditFilter,
  AuditRepository,
} from './audit-repo.js';
export { CallRepository, type RunCallRow, type RunOutcome } from './call-repo.js';
export type { CampaignListFilter, CampaignListPage, RecipientPage } from './campaign-filters.js';
export {
  ACTIVE_CAMPAIGN_STATUSES,
  type CampaignInput,
  type CampaignPatch,
  type CampaignRecipientRow,
  type CampaignRecipientView,
  CampaignRepository,
  type CampaignRow,
  type CampaignTally,
  type RecipientInput,
  type RecipientOutcome,
  type RecipientState,
} from './campaign-repo.js';
export { ChannelRepository, type ChannelRow } from './channel-repo.js';
export { closeDb, type Db, type OpenOptions, openDb } from './connection.js';
export { ContactImportRepository, type ImportedContact } from './contact-import-repo.js';
export { type Consent, type ConsentRecord, type Contact, ContactRepository } from './contact-repo.js';
export {
  type Conversation,
  type ConversationChanges,
  type ConversationEvent,
  type ConversationFilter,
  ConversationRepository,
  type ConversationState,
  HELD_STATES,
  type NewConversation,
} from './conversation-repo.js';
export { type CredentialMeta, CredentialRepository, type CredentialRow } from './credential-repo.js';
export {
  type CrmSyncMessage,
  type CrmSyncRecordRow,
  CrmSyncRepository,
  type CrmSyncResult,
  type CrmSyncSettingInput,
  type CrmSyncSettingRow,
  DEFAULT_CRM_SYNC_LEASE_MS,
} from './crm-sync-repo.js';
export {
  type DeliveryInput,
  type EventInput,
  EventRepository,
  type StoredEvent,
  type StoreResult,
} from './event-repo.js';
export { type FlowDocument, type FlowRecord, FlowRepository, type FlowVersionRecord } from './flow-repo.js';
export { GroupCommit } from './group-commit.js';
export { FOLD_BATCH as MESSAGE_COUNT_FOLD_BATCH } from './message-count-model.js';
export {
  type AlertIncidentRow,
  type AlertRuleInput,
  type AlertRulePatch,
  type AlertRuleRow,
  MonitoringRepository,
  type OwedNotice,
  type QueueFigures,
  type Sample,
  type SummedSample,
} from './monitoring-repo.js';
export {
  type OutboxError,
  type OutboxInput,
  OutboxRepository,
  type OutboxRow,
  type OutboxStatusRow,
} from './outbox-repo.js';
export {
  migratePg,
  openPgPool,
  type PgDb,
  type PgPoolOptions,
  type PgSession,
  pgDb,
} from './pg/connection.js';
export { pgDatabase } from './pg/database.js';
export { PgRunStore } from './pg/run-store.js';
export * as pgSchema from './pg/schema.js';
export { type AsyncOf, asyncOf } from './ports.js';
export type { Database, Repositories, TxRepositories } from './repositories.js';
export { CursorError, listRuns, type RunFilter } from './run-queries.js';
export { RunReadRepository } from './run-read-repo.js';
export { SqliteRunStore, StoreError } from './run-store.js';
export { ScheduleRepository, type ScheduleRow } from './schedule-repo.js';
export * as schema from './schema.js';
export type {
  AttributeCondition,
  ConsentCategory,
  SegmentFilter,
} from './segment-filter.js';
export { type SegmentInput, type SegmentPatch, SegmentRepository, type SegmentRow } from './segment-repo.js';
export {
  type ConversationCursor,
  type SimulatorInbound,
  type SimulatorMessage,
  SimulatorRepository,
  type SimulatorSession,
} from './simulator-repo.js';
export { sqliteDatabase } from './sqlite-database.js';
export { SqliteGate } from './sqlite-gate.js';
export {
  DEFAULT_DELIVERY_LEASE_MS,
  type DeliveryAttempt,
  type SubscriptionAttemptRow,
  type SubscriptionDeliveryRow,
  type SubscriptionEventInput,
  type SubscriptionInput,
  type SubscriptionPatch,
  SubscriptionRepository,
  type SubscriptionRow,
} from './subscription-repo.js';
export {
  type Agent,
  type AgentInput,
  type Team,
  type TeamInput,
  TeamRepository,
  teamNameKey,
  type WeeklyInterval,
} from './team-repo.js';
export {
  type TemplateChange,
  type TemplateFilter,
  type TemplateInput,
  TemplateRepository,
  type TemplateRow,
  type TemplateSyncRow,
} from './template-repo.js';
export {
  type AcceptFailure,
  type InvitationMeta,
  type InvitationRow,
  type NewInvitation,
  type NewSession,
  type NewUser,
  normalizeEmail,
  type SessionRow,
  type UserMeta,
  UserRepository,
  type UserRow,
} from './user-repo.js';
export {
  endedRunKeys,
  hooksSince,
  type OpenWait,
  openHookFields,
  openWaitFlows,
  openWaits,
} from './wait-queries.js';
