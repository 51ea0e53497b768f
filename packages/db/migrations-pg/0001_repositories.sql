CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_by" text,
	"created_at" timestamp(3) with time zone NOT NULL,
	"last_used_at" timestamp(3) with time zone,
	"revoked_at" timestamp(3) with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp(3) with time zone NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"target_kind" text,
	"target_id" text,
	"ip" text,
	"data" json
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"name" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"data" text NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL,
	"last_used_at" timestamp(3) with time zone
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" text PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"role" text NOT NULL,
	"email" text,
	"invited_by" text,
	"created_at" timestamp(3) with time zone NOT NULL,
	"expires_at" timestamp(3) with time zone NOT NULL,
	"accepted_at" timestamp(3) with time zone,
	"accepted_by" text
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"expires_at" timestamp(3) with time zone NOT NULL,
	"last_seen_at" timestamp(3) with time zone NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL,
	"last_sign_in_at" timestamp(3) with time zone
);
--> statement-breakpoint
CREATE TABLE "flow_schedules" (
	"flow_id" text PRIMARY KEY NOT NULL,
	"node_id" text NOT NULL,
	"flow_version" integer NOT NULL,
	"cron" text NOT NULL,
	"timezone" text NOT NULL,
	"missed" text NOT NULL,
	"next_fire_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flow_versions" (
	"flow_id" text NOT NULL,
	"version" integer NOT NULL,
	"document" json NOT NULL,
	"valid" boolean DEFAULT true NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "flow_versions_flow_id_version_pk" PRIMARY KEY("flow_id","version")
);
--> statement-breakpoint
CREATE TABLE "flows" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"current_version" integer NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL,
	"deleted_at" timestamp(3) with time zone
);
--> statement-breakpoint
CREATE TABLE "run_calls" (
	"child_run_id" text PRIMARY KEY NOT NULL,
	"parent_run_id" text NOT NULL,
	"parent_node_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"depth" integer NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channels" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"phone_number_id" text NOT NULL,
	"waba_id" text,
	"display_phone_number" text,
	"secrets" text NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "channels_phone_number_id_unique" UNIQUE("phone_number_id")
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" text PRIMARY KEY NOT NULL,
	"channel" text DEFAULT 'default' NOT NULL,
	"wa_id" text NOT NULL,
	"name" text,
	"phone" text,
	"country" text,
	"consent" json DEFAULT '{}'::json NOT NULL,
	"attributes" json DEFAULT '{}'::json NOT NULL,
	"tags" json DEFAULT '[]'::json NOT NULL,
	"timezone" text,
	"last_inbound_at" timestamp(3) with time zone,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"provider_event_id" text NOT NULL,
	"delivery_id" bigint NOT NULL,
	"type" text NOT NULL,
	"channel_id" text,
	"wa_id" text,
	"normalized" json NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"occurred_at" timestamp(3) with time zone NOT NULL,
	"received_at" timestamp(3) with time zone NOT NULL,
	"processed_at" timestamp(3) with time zone,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"run_id" text,
	"node_id" text,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"kind" text NOT NULL,
	"category" text,
	"payload" json NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp(3) with time zone,
	"provider_message_id" text,
	"last_error" json,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_statuses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"outbox_id" text NOT NULL,
	"status" text NOT NULL,
	"at" timestamp(3) with time zone NOT NULL,
	"source" text NOT NULL,
	"error" json
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"channel_id" text,
	"raw_body" "bytea" NOT NULL,
	"received_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agent_teams" (
	"agent_id" text NOT NULL,
	"team_id" text NOT NULL,
	CONSTRAINT "agent_teams_agent_id_team_id_pk" PRIMARY KEY("agent_id","team_id")
);
--> statement-breakpoint
CREATE TABLE "agents" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"role" text DEFAULT 'agent' NOT NULL,
	"skills" json DEFAULT '[]'::json NOT NULL,
	"capacity" integer DEFAULT 5 NOT NULL,
	"available" boolean DEFAULT false NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL,
	"user_id" text
);
--> statement-breakpoint
CREATE TABLE "conversation_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"conversation_id" text NOT NULL,
	"at" timestamp(3) with time zone NOT NULL,
	"kind" text NOT NULL,
	"data" json DEFAULT '{}'::json NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" text PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"wa_id" text NOT NULL,
	"contact_name" text,
	"team_id" text NOT NULL,
	"agent_id" text,
	"priority" text NOT NULL,
	"priority_rank" integer NOT NULL,
	"state" text NOT NULL,
	"queued_because" text,
	"strategy" text DEFAULT 'roundRobin' NOT NULL,
	"skills" json DEFAULT '[]'::json NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"run_id" text,
	"flow_id" text,
	"node_id" text,
	"idempotency_key" text NOT NULL,
	"sla_minutes" integer,
	"opened_at" timestamp(3) with time zone NOT NULL,
	"assigned_at" timestamp(3) with time zone,
	"picked_up_at" timestamp(3) with time zone,
	"sla_due_at" timestamp(3) with time zone,
	"escalation" json,
	"escalated_at" timestamp(3) with time zone,
	"notify_credential" text,
	"notified_at" timestamp(3) with time zone,
	"notify_attempts" integer DEFAULT 0 NOT NULL,
	"notify_next_at" timestamp(3) with time zone,
	"closed_at" timestamp(3) with time zone,
	"updated_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_cursors" (
	"team_id" text PRIMARY KEY NOT NULL,
	"last_agent_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_requests" (
	"idempotency_key" text PRIMARY KEY NOT NULL,
	"conversation_id" text NOT NULL,
	"outcome" json NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"business_hours" json,
	"holidays" json DEFAULT '[]'::json NOT NULL,
	"slack_credential" text,
	"escalation_team" text,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "simulator_messages" (
	"message_id" text PRIMARY KEY NOT NULL,
	"wa_id" text NOT NULL,
	"flow_id" text NOT NULL,
	"clock_offset_ms" bigint,
	"created_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "simulator_sessions" (
	"wa_id" text PRIMARY KEY NOT NULL,
	"flow_id" text,
	"cleared_at" timestamp(3) with time zone,
	"updated_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "run_waits" ALTER COLUMN "wake_key" SET DATA TYPE text collate "C";--> statement-breakpoint
CREATE INDEX "audit_events_at_idx" ON "audit_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_events_action_idx" ON "audit_events" USING btree ("action","at");--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_token_uq" ON "invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_uq" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "flow_schedules_due_idx" ON "flow_schedules" USING btree ("next_fire_at");--> statement-breakpoint
CREATE INDEX "flows_name_idx" ON "flows" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "run_calls_idempotency_uq" ON "run_calls" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "run_calls_parent_idx" ON "run_calls" USING btree ("parent_run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_channel_wa_uq" ON "contacts" USING btree ("channel","wa_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_events_provider_event_uq" ON "inbound_events" USING btree ("provider","provider_event_id");--> statement-breakpoint
CREATE INDEX "inbound_events_pending_idx" ON "inbound_events" USING btree ("id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "inbound_events_type_idx" ON "inbound_events" USING btree ("type","id");--> statement-breakpoint
CREATE INDEX "inbound_events_wa_idx" ON "inbound_events" USING btree ("wa_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_idempotency_uq" ON "outbox" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "outbox_status_idx" ON "outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_provider_id_idx" ON "outbox" USING btree ("provider_message_id");--> statement-breakpoint
CREATE INDEX "outbox_recipient_idx" ON "outbox" USING btree ("recipient","created_at");--> statement-breakpoint
CREATE INDEX "outbox_statuses_outbox_idx" ON "outbox_statuses" USING btree ("outbox_id","id");--> statement-breakpoint
CREATE INDEX "agent_teams_team_idx" ON "agent_teams" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "agents_user_uq" ON "agents" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "conversation_events_conversation_idx" ON "conversation_events" USING btree ("conversation_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_idempotency_uq" ON "conversations" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "conversations_state_team_idx" ON "conversations" USING btree ("state","team_id");--> statement-breakpoint
CREATE INDEX "conversations_agent_state_idx" ON "conversations" USING btree ("agent_id","state");--> statement-breakpoint
CREATE INDEX "conversations_sla_idx" ON "conversations" USING btree ("sla_due_at");--> statement-breakpoint
CREATE INDEX "conversations_contact_idx" ON "conversations" USING btree ("wa_id","channel");--> statement-breakpoint
CREATE INDEX "conversations_notify_idx" ON "conversations" USING btree ("notify_next_at") WHERE notify_credential is not null and notified_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "teams_name_uq" ON "teams" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "teams_name_key_uq" ON "teams" USING btree ("name_key");--> statement-breakpoint
CREATE INDEX "simulator_messages_wa_idx" ON "simulator_messages" USING btree ("wa_id");