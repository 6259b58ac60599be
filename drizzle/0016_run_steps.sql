CREATE TABLE "run_steps" (
	"run_id" bigint NOT NULL,
	"position" integer NOT NULL,
	"step_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone,
	"exit_code" integer,
	"first_seq" integer,
	"last_seq" integer,
	"outputs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"message" text,
	"acted_by" uuid,
	"note" text,
	CONSTRAINT "run_steps_run_id_position_pk" PRIMARY KEY("run_id","position")
);
--> statement-breakpoint
CREATE TABLE "run_watchers" (
	"run_id" bigint NOT NULL,
	"user_id" uuid NOT NULL,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "run_watchers_run_id_user_id_pk" PRIMARY KEY("run_id","user_id")
);
--> statement-breakpoint
DROP INDEX "runs_active_lock_idx";--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "page_changes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "resumed_from" bigint;--> statement-breakpoint
ALTER TABLE "run_steps" ADD CONSTRAINT "run_steps_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_watchers" ADD CONSTRAINT "run_watchers_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_watchers" ADD CONSTRAINT "run_watchers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "runs_active_lock_idx" ON "runs" USING btree ("lock_key","id") WHERE lock_key is not null and status in ('queued', 'running', 'waiting');