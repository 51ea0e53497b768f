import { bigserial, index, json, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { isoTime } from '../columns.js';

// Postgres tables of this area, mirroring ../../schema.ts (see ../columns.ts for times).

/** Stored credentials by name; `data` is the vault's ciphertext, never returned. */
export const credentials = pgTable('credentials', {
  name: text('name').primaryKey(),
  type: text('type').notNull(),
  data: text('data').notNull(),
  createdAt: isoTime('created_at').notNull(),
  updatedAt: isoTime('updated_at').notNull(),
  lastUsedAt: isoTime('last_used_at'),
});

/** People who sign in; `email` lower-cased and unique. */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: isoTime('created_at').notNull(),
    updatedAt: isoTime('updated_at').notNull(),
    lastSignInAt: isoTime('last_sign_in_at'),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email)],
);

/** Signed-in browsers; `id` is the sha256 (hex) of the cookie's token. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    // No foreign key: drizzle-kit writes `references "public"."users"`, which breaks schemas other
    // than public (tests, tenants). PgUserRepository keeps the guarantee itself: createSession only
    // inserts for an existing user (row locked), deleteUser deletes the user's sessions.
    userId: text('user_id').notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: isoTime('created_at').notNull(),
    expiresAt: isoTime('expires_at').notNull(),
    lastSeenAt: isoTime('last_seen_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** Keys for automation: only the sha256 (hex) of the secret is stored. */
export const apiKeys = pgTable('api_keys', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  secretHash: text('secret_hash').notNull(),
  createdBy: text('created_by'),
  createdAt: isoTime('created_at').notNull(),
  lastUsedAt: isoTime('last_used_at'),
  revokedAt: isoTime('revoked_at'),
});

/** Invitations by link: only the token's sha256 (hex) is stored. */
export const invitations = pgTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    role: text('role').notNull(),
    email: text('email'),
    invitedBy: text('invited_by'),
    createdAt: isoTime('created_at').notNull(),
    expiresAt: isoTime('expires_at').notNull(),
    acceptedAt: isoTime('accepted_at'),
    acceptedBy: text('accepted_by'),
  },
  (t) => [uniqueIndex('invitations_token_uq').on(t.tokenHash)],
);

/** Who did what; append-only, listed newest first by id. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: isoTime('at').notNull(),
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id'),
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    targetKind: text('target_kind'),
    targetId: text('target_id'),
    ip: text('ip'),
    data: json('data'),
  },
  (t) => [index('audit_events_at_idx').on(t.at), index('audit_events_action_idx').on(t.action, t.at)],
);
