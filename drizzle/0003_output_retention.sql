ALTER TABLE "runs" ADD COLUMN "output_pruned_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "runs_finished_at_idx" ON "runs" USING btree ("finished_at");