ALTER TABLE "runs" ADD COLUMN "process_host" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "process_id" integer;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "process_start_time" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "process_uid" bigint;