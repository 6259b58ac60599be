CREATE TABLE "view_results" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "view_results_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"runbook_slug" text NOT NULL,
	"run_id" bigint NOT NULL,
	"status" text NOT NULL,
	"headline" text,
	"value" double precision,
	"unit" text,
	"table" jsonb,
	"parse_error" text,
	"raw_tail" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "view_results_run_id_unique" UNIQUE("run_id")
);
--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "view" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "view" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "view_results" ADD CONSTRAINT "view_results_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "view_results_runbook_idx" ON "view_results" USING btree ("runbook_slug","id");