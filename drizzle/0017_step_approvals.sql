DROP INDEX "run_approvals_run_user_idx";--> statement-breakpoint
ALTER TABLE "run_approvals" ADD COLUMN "step_position" integer;--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "approvals_required" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "approvers" jsonb;--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "approval_expires_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "approved_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "run_approvals_run_step_user_idx" ON "run_approvals" USING btree ("run_id",coalesce("step_position", -1),"user_id");