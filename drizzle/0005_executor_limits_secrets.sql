CREATE TABLE "secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"ciphertext" text NOT NULL,
	"key_id" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "output_dropped_bytes" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "concurrency_limit" integer;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "lock_key" text;--> statement-breakpoint
CREATE INDEX "runs_running_slug_idx" ON "runs" USING btree ("runbook_slug") WHERE status = 'running';--> statement-breakpoint
CREATE INDEX "runs_active_lock_idx" ON "runs" USING btree ("lock_key","id") WHERE lock_key is not null and status in ('queued', 'running');