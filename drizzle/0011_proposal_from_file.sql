ALTER TABLE "runbook_proposals" ALTER COLUMN "author_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "runbook_proposals" ADD COLUMN "author_label" text;