import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { isoTime } from '../columns.js';

// Postgres tables of this area, mirroring ../../schema.ts (see ../columns.ts for times).
// Routing: teams, agents and their memberships, round-robin cursors, conversations with their history,
// and each routing step's first outcome. Same names, columns, indexes and uniqueness as SQLite.
// No foreign keys (agent_teams → agents, teams; routing_cursors → teams): drizzle-kit writes them as
// `references "public"."…"`, which breaks every schema but public (tests, tenants). PgTeamRepository
// keeps their guarantees itself (../team-repo.ts: referenced rows locked, deletes cascade by hand).

export const teams = pgTable(
  'teams',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    timezone: text('timezone').notNull().default('UTC'),
    businessHours: json('business_hours'),
    holidays: json('holidays').notNull().default(sql`'[]'::json`),
    slackCredential: text('slack_credential'),
    escalationTeam: text('escalation_team'),
    createdAt: isoTime('created_at').notNull(),
    updatedAt: isoTime('updated_at').notNull(),
  },
  (t) => [uniqueIndex('teams_name_uq').on(t.name), uniqueIndex('teams_name_key_uq').on(t.nameKey)],
);

export const agents = pgTable(
  'agents',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email'),
    role: text('role').notNull().default('agent'),
    skills: json('skills').notNull().default(sql`'[]'::json`),
    capacity: integer('capacity').notNull().default(5),
    available: boolean('available').notNull().default(false),
    createdAt: isoTime('created_at').notNull(),
    updatedAt: isoTime('updated_at').notNull(),
    userId: text('user_id'),
  },
  (t) => [uniqueIndex('agents_user_uq').on(t.userId)],
);

export const agentTeams = pgTable(
  'agent_teams',
  {
    agentId: text('agent_id').notNull(),
    teamId: text('team_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.teamId] }), index('agent_teams_team_idx').on(t.teamId)],
);

export const routingCursors = pgTable('routing_cursors', {
  teamId: text('team_id').primaryKey(),
  lastAgentId: text('last_agent_id').notNull(),
});

export const conversations = pgTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull(),
    waId: text('wa_id').notNull(),
    contactName: text('contact_name'),
    teamId: text('team_id').notNull(),
    agentId: text('agent_id'),
    priority: text('priority').notNull(),
    priorityRank: integer('priority_rank').notNull(),
    state: text('state').notNull(),
    queuedBecause: text('queued_because'),
    strategy: text('strategy').notNull().default('roundRobin'),
    skills: json('skills').notNull().default(sql`'[]'::json`),
    summary: text('summary').notNull().default(''),
    runId: text('run_id'),
    flowId: text('flow_id'),
    nodeId: text('node_id'),
    idempotencyKey: text('idempotency_key').notNull(),
    slaMinutes: integer('sla_minutes'),
    openedAt: isoTime('opened_at').notNull(),
    assignedAt: isoTime('assigned_at'),
    pickedUpAt: isoTime('picked_up_at'),
    slaDueAt: isoTime('sla_due_at'),
    escalation: json('escalation'),
    escalatedAt: isoTime('escalated_at'),
    notifyCredential: text('notify_credential'),
    notifiedAt: isoTime('notified_at'),
    notifyAttempts: integer('notify_attempts').notNull().default(0),
    notifyNextAt: isoTime('notify_next_at'),
    closedAt: isoTime('closed_at'),
    updatedAt: isoTime('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('conversations_idempotency_uq').on(t.idempotencyKey),
    index('conversations_state_team_idx').on(t.state, t.teamId),
    index('conversations_agent_state_idx').on(t.agentId, t.state),
    index('conversations_sla_idx').on(t.slaDueAt),
    index('conversations_contact_idx').on(t.waId, t.channel),
    // Analytics: conversations opened in a date range.
    index('conversations_opened_idx').on(t.openedAt),
    index('conversations_notify_idx')
      .on(t.notifyNextAt)
      .where(sql`notify_credential is not null and notified_at is null`),
  ],
);

export const conversationEvents = pgTable(
  'conversation_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: text('conversation_id').notNull(),
    at: isoTime('at').notNull(),
    kind: text('kind').notNull(),
    data: json('data').notNull().default(sql`'{}'::json`),
  },
  (t) => [
    index('conversation_events_conversation_idx').on(t.conversationId, t.id),
    // Analytics: assignments in a date range (agent load).
    index('conversation_events_kind_at_idx').on(t.kind, t.at),
  ],
);

export const routingRequests = pgTable('routing_requests', {
  idempotencyKey: text('idempotency_key').primaryKey(),
  conversationId: text('conversation_id').notNull(),
  outcome: json('outcome').notNull(),
  createdAt: isoTime('created_at').notNull(),
});
