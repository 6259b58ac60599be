CREATE TABLE "schedule_approvals" (
	"schedule_id" bigint NOT NULL,
	"revision" integer NOT NULL,
	"user_id" uuid NOT NULL,
	"comment" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedule_approvals_schedule_id_revision_user_id_pk" PRIMARY KEY("schedule_id","revision","user_id")
);
--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "updated_by" uuid;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "approvals_required" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "approvers" jsonb;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "approved_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "approved_version_hash" text;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "approved_risk" text;--> statement-breakpoint
ALTER TABLE "schedule_approvals" ADD CONSTRAINT "schedule_approvals_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_approvals" ADD CONSTRAINT "schedule_approvals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;