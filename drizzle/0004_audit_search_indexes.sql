CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "audit_events_runbook_idx" ON "audit_events" USING btree (("details"->>'runbook'),"id");--> statement-breakpoint
CREATE INDEX "audit_events_actor_trgm_idx" ON "audit_events" USING gin ("actor_email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "audit_events_action_trgm_idx" ON "audit_events" USING gin ("action" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "audit_events_subject_trgm_idx" ON "audit_events" USING gin ("subject_id" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "audit_events_details_trgm_idx" ON "audit_events" USING gin (("details"::text) gin_trgm_ops);