ALTER TABLE "run_steps" ADD COLUMN "child_version_hash" text;--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "child_run_id" bigint;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "parent_run_id" bigint;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "parent_step_position" integer;--> statement-breakpoint
CREATE INDEX "run_steps_waiting_child_idx" ON "run_steps" USING btree ("child_run_id") WHERE status = 'waiting' and child_run_id is not null;--> statement-breakpoint
CREATE INDEX "runs_parent_idx" ON "runs" USING btree ("parent_run_id") WHERE parent_run_id is not null;