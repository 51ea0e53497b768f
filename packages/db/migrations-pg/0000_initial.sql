CREATE TABLE "run_steps" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"seq" integer NOT NULL,
	"node_id" text NOT NULL,
	"node_type" text NOT NULL,
	"attempt" integer NOT NULL,
	"status" text NOT NULL,
	"ports" json DEFAULT '[]'::json NOT NULL,
	"input" json,
	"output" json,
	"error" json,
	"started_at" timestamp (3) with time zone NOT NULL,
	"finished_at" timestamp (3) with time zone,
	"duration_ms" integer
);
--> statement-breakpoint
CREATE TABLE "run_waits" (
	"token" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"wake_at" timestamp (3) with time zone,
	"wake_key" text,
	"fired" boolean DEFAULT false NOT NULL,
	"payload" json
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" text PRIMARY KEY NOT NULL,
	"flow_id" text NOT NULL,
	"flow_version" integer NOT NULL,
	"status" text NOT NULL,
	"trigger_node_id" text NOT NULL,
	"contact_id" text,
	"state" json NOT NULL,
	"error" json,
	"wake_at" timestamp (3) with time zone,
	"lease_owner" text,
	"lease_expires_at" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE INDEX "run_steps_run_idx" ON "run_steps" USING btree ("run_id","seq");--> statement-breakpoint
CREATE INDEX "run_waits_key_idx" ON "run_waits" USING btree ("wake_key");--> statement-breakpoint
CREATE INDEX "run_waits_run_idx" ON "run_waits" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "runs_claim_idx" ON "runs" USING btree ("status","wake_at");--> statement-breakpoint
CREATE INDEX "runs_flow_idx" ON "runs" USING btree ("flow_id","created_at");--> statement-breakpoint
CREATE INDEX "runs_contact_idx" ON "runs" USING btree ("contact_id","created_at");--> statement-breakpoint
CREATE INDEX "runs_created_idx" ON "runs" USING btree ("created_at");