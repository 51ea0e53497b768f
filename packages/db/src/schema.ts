import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Times are ISO-8601 UTC strings (they sort as text), except lease expiry, which is compared as epoch ms.

export const flows = sqliteTable(
  'flows',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    active: integer('active', { mode: 'boolean' }).notNull().default(false),
    currentVersion: integer('current_version').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    deletedAt: text('deleted_at'),
  },
  (t) => [index('flows_name_idx').on(t.name)],
);

/** Every saved version of a flow, immutable: runs point at the version they started on. */
export const flowVersions = sqliteTable(
  'flow_versions',
  {
    flowId: text('flow_id').notNull(),
    version: integer('version').notNull(),
    document: text('document', { mode: 'json' }).notNull(),
    /**
     * False for a draft: a document shaped like a flow that still has validation errors (the editor
     * saves work in progress). Such a version is never run, and an active flow never gets one.
     */
    valid: integer('valid', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.flowId, t.version] })],
);

export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    flowId: text('flow_id').notNull(),
    flowVersion: integer('flow_version').notNull(),
    status: text('status').notNull(),
    triggerNodeId: text('trigger_node_id').notNull(),
    contactId: text('contact_id'),
    state: text('state', { mode: 'json' }).notNull(),
    error: text('error', { mode: 'json' }),
    wakeAt: text('wake_at'),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: integer('lease_expires_at').notNull().default(0),
    createdAt: text('created_at').notNull(),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
  },
  (t) => [
    index('runs_claim_idx').on(t.status, t.wakeAt),
    index('runs_flow_idx').on(t.flowId, t.createdAt),
    index('runs_contact_idx').on(t.contactId, t.createdAt),
    // Claims probe a contact's queued, running and due waiting runs (one contact's runs go in order).
    index('runs_contact_claim_idx').on(t.contactId, t.status, t.wakeAt),
    index('runs_created_idx').on(t.createdAt),
    // Analytics: a message's flow through its run without reading the run's row (its snapshot is large).
    index('runs_flow_of_idx').on(t.id, t.flowId),
    // Analytics: runs created in a date range, counted by flow and status without reading the rows.
    index('runs_created_flow_idx').on(t.createdAt, t.flowId, t.status),
  ],
);

/** One row per attempt of one node: the executions view reads these. */
export const runSteps = sqliteTable(
  'run_steps',
  {
    id: text('id').primaryKey(),
    runId: text('run_id').notNull(),
    seq: integer('seq').notNull(),
    nodeId: text('node_id').notNull(),
    nodeType: text('node_type').notNull(),
    attempt: integer('attempt').notNull(),
    status: text('status').notNull(),
    ports: text('ports', { mode: 'json' }).notNull().default(sql`'[]'`),
    input: text('input', { mode: 'json' }),
    output: text('output', { mode: 'json' }),
    error: text('error', { mode: 'json' }),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    durationMs: integer('duration_ms'),
  },
  (t) => [index('run_steps_run_idx').on(t.runId, t.seq)],
);

/** A parked branch: woken at `wake_at`, or when something delivers `wake_key` (e.g. a reply). */
export const runWaits = sqliteTable(
  'run_waits',
  {
    token: text('token').primaryKey(),
    runId: text('run_id').notNull(),
    wakeAt: text('wake_at'),
    wakeKey: text('wake_key'),
    fired: integer('fired', { mode: 'boolean' }).notNull().default(false),
    payload: text('payload', { mode: 'json' }),
  },
  (t) => [index('run_waits_key_idx').on(t.wakeKey), index('run_waits_run_idx').on(t.runId)],
);

/** Business numbers. Secrets (access token, app secret, verify token) are stored encrypted, never returned. */
export const channels = sqliteTable('channels', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  phoneNumberId: text('phone_number_id').notNull().unique(),
  wabaId: text('waba_id'),
  displayPhoneNumber: text('display_phone_number'),
  /** AES-256-GCM ciphertext of the JSON secrets (see the server's vault). */
  secrets: text('secrets').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** Every accepted webhook body, raw bytes as received, stored before the 200. */
export const webhookDeliveries = sqliteTable('webhook_deliveries', {
  // Integer keys keep the per-request insert to the table b-tree alone (no separate key index).
  id: integer('id').primaryKey({ autoIncrement: true }),
  provider: text('provider').notNull(),
  channelId: text('channel_id'),
  rawBody: blob('raw_body', { mode: 'buffer' }).notNull(),
  receivedAt: text('received_at').notNull(),
});

/**
 * Normalized events, one per message/status/opt-in/error, written in the same transaction as their
 * delivery. The unique key makes a provider's re-delivery a no-op. `id` grows with arrival, so it is
 * also the arrival order; the pending index is partial, so processed events leave it.
 */
export const inboundEvents = sqliteTable(
  'inbound_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    provider: text('provider').notNull(),
    providerEventId: text('provider_event_id').notNull(),
    deliveryId: integer('delivery_id').notNull(),
    type: text('type').notNull(),
    channelId: text('channel_id'),
    waId: text('wa_id'),
    normalized: text('normalized', { mode: 'json' }).notNull(),
    status: text('status').notNull().default('pending'),
    occurredAt: text('occurred_at').notNull(),
    receivedAt: text('received_at').notNull(),
    processedAt: text('processed_at'),
    error: text('error'),
  },
  (t) => [
    uniqueIndex('inbound_events_provider_event_uq').on(t.provider, t.providerEventId),
    index('inbound_events_pending_idx').on(t.id).where(sql`status = 'pending'`),
    index('inbound_events_type_idx').on(t.type, t.id),
    index('inbound_events_wa_idx').on(t.waId, t.id),
    // Analytics: consent changes in a date range.
    index('inbound_events_type_occurred_idx').on(t.type, t.occurredAt),
  ],
);

export const contacts = sqliteTable(
  'contacts',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull().default('default'),
    waId: text('wa_id').notNull(),
    name: text('name'),
    /** E.164 with "+", derived from the WhatsApp id. */
    phone: text('phone'),
    country: text('country'),
    /** Per category (all, marketing, utility): { optedIn, source, at }. */
    consent: text('consent', { mode: 'json' }).notNull().default(sql`'{}'`),
    attributes: text('attributes', { mode: 'json' }).notNull().default(sql`'{}'`),
    tags: text('tags', { mode: 'json' }).notNull().default(sql`'[]'`),
    timezone: text('timezone'),
    lastInboundAt: text('last_inbound_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('contacts_channel_wa_uq').on(t.channel, t.waId)],
);

/**
 * Outgoing messages, keyed by the step's idempotency key so a re-run step cannot send twice.
 * status: queued → sending → sent → delivered → read, or failed / refused (policy).
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    idempotencyKey: text('idempotency_key').notNull(),
    runId: text('run_id'),
    nodeId: text('node_id'),
    channel: text('channel').notNull(),
    recipient: text('recipient').notNull(),
    kind: text('kind').notNull(),
    category: text('category'),
    payload: text('payload', { mode: 'json' }).notNull(),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at'),
    /** While `sending`: when the claim lapses and another sender may take the message back. */
    claimExpiresAt: text('claim_expires_at'),
    providerMessageId: text('provider_message_id'),
    lastError: text('last_error', { mode: 'json' }),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('outbox_idempotency_uq').on(t.idempotencyKey),
    index('outbox_status_idx').on(t.status, t.nextAttemptAt),
    index('outbox_provider_id_idx').on(t.providerMessageId),
    index('outbox_recipient_idx').on(t.recipient, t.createdAt),
    // Claims look for a recipient's older queued or sending messages (per-recipient order).
    index('outbox_recipient_order_idx').on(t.channel, t.recipient, t.status, t.createdAt),
    // Analytics: messages created in a date range, counted by status and run, and their status history
    // found by id, without reading the rows.
    index('outbox_created_idx').on(t.createdAt, t.status, t.runId, t.id),
    // Analytics: the read messages of a range, whose time to read the messaging report samples.
    index('outbox_read_idx').on(t.createdAt, t.id).where(sql`${t.status} in ('read', 'played')`),
  ],
);

/** Every status an outgoing message went through, with its time, source and error. */
export const outboxStatuses = sqliteTable(
  'outbox_statuses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    outboxId: text('outbox_id').notNull(),
    status: text('status').notNull(),
    at: text('at').notNull(),
    source: text('source').notNull(),
    error: text('error', { mode: 'json' }),
  },
  (t) => [
    index('outbox_statuses_outbox_idx').on(t.outboxId, t.id),
    // Analytics: when a message was first accepted and first read (time to read).
    index('outbox_statuses_outbox_status_idx').on(t.outboxId, t.status, t.at),
  ],
);

/**
 * Runs started by another run's "call flow" node: the parent link bounds call depth (A → B → A loops
 * stop), and the unique idempotency key (the calling step's) makes a re-run step find its first child.
 */
export const runCalls = sqliteTable(
  'run_calls',
  {
    childRunId: text('child_run_id').primaryKey(),
    parentRunId: text('parent_run_id').notNull(),
    parentNodeId: text('parent_node_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    depth: integer('depth').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('run_calls_idempotency_uq').on(t.idempotencyKey),
    index('run_calls_parent_idx').on(t.parentRunId),
  ],
);

/**
 * When each active scheduled flow fires next (one row per flow whose trigger is `trigger.schedule`).
 * The server starts the run and moves `next_fire_at` on in one transaction, so a crash neither loses
 * nor repeats an occurrence. `cron`, `timezone` and `missed` are the trigger's settled params, kept to
 * tell whether a new flow version changed the schedule (an unchanged one keeps its next time).
 */
export const flowSchedules = sqliteTable(
  'flow_schedules',
  {
    flowId: text('flow_id').primaryKey(),
    nodeId: text('node_id').notNull(),
    flowVersion: integer('flow_version').notNull(),
    cron: text('cron').notNull(),
    timezone: text('timezone').notNull(),
    missed: text('missed').notNull(),
    nextFireAt: text('next_fire_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('flow_schedules_due_idx').on(t.nextFireAt)],
);

/**
 * The editor's simulator: which flow each simulated customer (a WhatsApp id on the built-in
 * `simulator` channel) is testing, and when its conversation was last cleared. A table of its own
 * rather than contact attributes, so flows never see (or overwrite) it in `contact.attributes`.
 */
export const simulatorSessions = sqliteTable('simulator_sessions', {
  waId: text('wa_id').primaryKey(),
  flowId: text('flow_id'),
  /** Messages and runs from before this are no longer shown (a "fresh start"). */
  clearedAt: text('cleared_at'),
  updatedAt: text('updated_at').notNull(),
});

/**
 * One row per simulated customer message, written before it is posted to the ingress: the flow it is
 * meant for and its clock override. The dispatcher reads it by the message's wamid, so two messages in
 * flight never mix up their flows or clocks.
 */
export const simulatorMessages = sqliteTable(
  'simulator_messages',
  {
    messageId: text('message_id').primaryKey(),
    waId: text('wa_id').notNull(),
    flowId: text('flow_id').notNull(),
    /** The runs this message starts or resumes see `now` shifted by this much; null: real time. */
    clockOffsetMs: integer('clock_offset_ms'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('simulator_messages_wa_idx').on(t.waId)],
);

/**
 * Stored credentials for HTTP, CRM, Slack and helpdesk nodes, by name. `data` is the AES-256-GCM
 * ciphertext of the JSON secret (see the server's vault); only name, type and times are ever returned.
 */
export const credentials = sqliteTable('credentials', {
  name: text('name').primaryKey(),
  /** hubspot, bitrix24, slack, httpBearer, httpBasic, httpHeader. */
  type: text('type').notNull(),
  data: text('data').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  lastUsedAt: text('last_used_at'),
});

/**
 * Teams that conversations are routed to. `name_key` is the name lower-cased without accents, unique,
 * so flows can name a team as people write it ("Facturación", "facturacion").
 */
export const teams = sqliteTable(
  'teams',
  {
    /** A slug, e.g. `billing`. */
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    timezone: text('timezone').notNull().default('UTC'),
    /** Weekly opening intervals `[{ days, from, to }]`; null: always open. */
    businessHours: text('business_hours', { mode: 'json' }),
    /** YYYY-MM-DD dates the team is closed, in its time zone. */
    holidays: text('holidays', { mode: 'json' }).notNull().default(sql`'[]'`),
    /** The Slack credential (by name) that posts to the team's channel. */
    slackCredential: text('slack_credential'),
    /** Where this team's conversations go when their SLA passes, unless the flow says otherwise. */
    escalationTeam: text('escalation_team'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('teams_name_uq').on(t.name), uniqueIndex('teams_name_key_uq').on(t.nameKey)],
);

/** People who answer conversations. `capacity`: how many non-closed conversations they hold at most. */
export const agents = sqliteTable(
  'agents',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email'),
    /** agent, supervisor, accountManager… (free text, checked by the API). */
    role: text('role').notNull().default('agent'),
    skills: text('skills', { mode: 'json' }).notNull().default(sql`'[]'`),
    capacity: integer('capacity').notNull().default(5),
    /** Only available agents get new conversations. */
    available: integer('available', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** The user account (role `agent`) that works as this agent; null: not linked. A user is at most one agent. */
    userId: text('user_id'),
  },
  (t) => [uniqueIndex('agents_user_uq').on(t.userId)],
);

export const agentTeams = sqliteTable(
  'agent_teams',
  {
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.teamId] }), index('agent_teams_team_idx').on(t.teamId)],
);

/** Round robin: the agent of each team who got the last conversation. */
export const routingCursors = sqliteTable('routing_cursors', {
  teamId: text('team_id')
    .primaryKey()
    .references(() => teams.id, { onDelete: 'cascade' }),
  lastAgentId: text('last_agent_id').notNull(),
});

/**
 * A customer's conversation with a team, from the routing step that opened it until an agent closes it.
 * state: queued (waits for an agent) → assigned (an agent has it) → open (the agent picked it up) → closed.
 * One non-closed conversation per contact: a later routing step reuses (and re-routes) it.
 */
export const conversations = sqliteTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull(),
    waId: text('wa_id').notNull(),
    contactName: text('contact_name'),
    teamId: text('team_id').notNull(),
    agentId: text('agent_id'),
    /** low, normal, high, urgent; `priority_rank` (0–3) orders queues. */
    priority: text('priority').notNull(),
    priorityRank: integer('priority_rank').notNull(),
    state: text('state').notNull(),
    /** after_hours or no_agent_available while queued. */
    queuedBecause: text('queued_because'),
    /** How its team picks an agent (roundRobin, leastOpen) and the skills the agent needs. */
    strategy: text('strategy').notNull().default('roundRobin'),
    skills: text('skills', { mode: 'json' }).notNull().default(sql`'[]'`),
    summary: text('summary').notNull().default(''),
    runId: text('run_id'),
    flowId: text('flow_id'),
    nodeId: text('node_id'),
    /** The routing step that opened it. */
    idempotencyKey: text('idempotency_key').notNull(),
    slaMinutes: integer('sla_minutes'),
    openedAt: text('opened_at').notNull(),
    assignedAt: text('assigned_at'),
    pickedUpAt: text('picked_up_at'),
    /** When it escalates if nobody has picked it up; null: no SLA. */
    slaDueAt: text('sla_due_at'),
    /** The flow's escalation (`{ team, slack, slackCredential }`); null: the team's defaults. */
    escalation: text('escalation', { mode: 'json' }),
    escalatedAt: text('escalated_at'),
    /** The Slack credential an escalation still has to post with (null: nothing to post). */
    notifyCredential: text('notify_credential'),
    notifiedAt: text('notified_at'),
    notifyAttempts: integer('notify_attempts').notNull().default(0),
    notifyNextAt: text('notify_next_at'),
    closedAt: text('closed_at'),
    updatedAt: text('updated_at').notNull(),
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

/** What happened to a conversation: opened, queued, assigned, picked_up, transferred, escalated, closed… */
export const conversationEvents = sqliteTable(
  'conversation_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: text('conversation_id').notNull(),
    at: text('at').notNull(),
    kind: text('kind').notNull(),
    data: text('data', { mode: 'json' }).notNull().default(sql`'{}'`),
  },
  (t) => [
    index('conversation_events_conversation_idx').on(t.conversationId, t.id),
    // Analytics: assignments in a date range (agent load).
    index('conversation_events_kind_at_idx').on(t.kind, t.at),
  ],
);

/**
 * Each routing step's first outcome, by its idempotency key: a re-run step gets the same answer, even
 * when it reused a conversation another step opened.
 */
export const routingRequests = sqliteTable('routing_requests', {
  idempotencyKey: text('idempotency_key').primaryKey(),
  conversationId: text('conversation_id').notNull(),
  outcome: text('outcome', { mode: 'json' }).notNull(),
  createdAt: text('created_at').notNull(),
});

/**
 * People who sign in. `email` is stored lower-cased (unique); `role` is one of owner, admin, builder,
 * agent, viewer; `password_hash` is `scrypt$N$r$p$salt$hash` (never returned by the API).
 */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    lastSignInAt: text('last_sign_in_at'),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email)],
);

/**
 * Signed-in browsers. `id` is the sha256 (hex) of the cookie's token, so a copy of the database does
 * not hold usable sessions. Sessions slide: each use moves `expires_at` on.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/**
 * Keys for automation (`sbk_<id>_<secret>`): only the sha256 (hex) of the secret is stored. A revoked
 * key keeps its row (for the audit trail) but no longer authenticates.
 */
export const apiKeys = sqliteTable('api_keys', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  secretHash: text('secret_hash').notNull(),
  /** The user who created it; null when created with the owner key or at start. */
  createdBy: text('created_by'),
  createdAt: text('created_at').notNull(),
  lastUsedAt: text('last_used_at'),
  revokedAt: text('revoked_at'),
});

/** Invitations by link: the token is shown once, only its sha256 (hex) is stored. */
export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    role: text('role').notNull(),
    /** When set, only this address (lower-cased) may accept. */
    email: text('email'),
    /** The inviting user; null when invited with the owner key. */
    invitedBy: text('invited_by'),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    acceptedAt: text('accepted_at'),
    acceptedBy: text('accepted_by'),
  },
  (t) => [uniqueIndex('invitations_token_uq').on(t.tokenHash)],
);

/**
 * Who did what: flow changes, credential use, sign-ins (and failures), user and key changes. Written by
 * the server's audit recorder, listed at /api/audit.
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    /** user, apiKey, ownerKey, system, anonymous. */
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id'),
    /** A readable name for the actor at the time (an email, a key name). */
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    targetKind: text('target_kind'),
    targetId: text('target_id'),
    ip: text('ip'),
    data: text('data', { mode: 'json' }),
  },
  (t) => [index('audit_events_at_idx').on(t.at), index('audit_events_action_idx').on(t.action, t.at)],
);
export * from './schema-campaigns.js';
export * from './schema-crm-sync.js';
export * from './schema-message-counts.js';
export * from './schema-monitoring.js';
export * from './schema-segments.js';
export * from './schema-subscriptions.js';
export * from './schema-templates.js';
