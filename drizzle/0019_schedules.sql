CREATE TABLE "schedule_fires" (
	"schedule_id" bigint NOT NULL,
	"fire_at" timestamp (3) with time zone NOT NULL,
	"outcome" text NOT NULL,
	"run_id" bigint,
	"message" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedule_fires_schedule_id_fire_at_pk" PRIMARY KEY("schedule_id","fire_at")
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "schedules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"runbook_slug" text NOT NULL,
	"name" text NOT NULL,
	"cron" text,
	"run_at" timestamp (3) with time zone,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"params" jsonb NOT NULL,
	"reason" text,
	"ticket" text,
	"owner_id" uuid NOT NULL,
	"misfire" text DEFAULT 'skip' NOT NULL,
	"overlap" text DEFAULT 'skip' NOT NULL,
	"paused_at" timestamp (3) with time zone,
	"paused_reason" text,
	"next_fire_at" timestamp (3) with time zone,
	"revision" integer DEFAULT 1 NOT NULL,
	"defined_in" text DEFAULT 'api' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "schedule_id" bigint;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "scheduled_for" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "schedule_fires" ADD CONSTRAINT "schedule_fires_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_runbook_slug_runbooks_slug_fk" FOREIGN KEY ("runbook_slug") REFERENCES "public"."runbooks"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "schedules_runbook_name_idx" ON "schedules" USING btree ("runbook_slug","name") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "schedules_due_idx" ON "schedules" USING btree ("next_fire_at") WHERE paused_at is null and deleted_at is null;--> statement-breakpoint
CREATE INDEX "runs_schedule_idx" ON "runs" USING btree ("schedule_id","id") WHERE schedule_id is not null;