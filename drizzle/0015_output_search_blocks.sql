CREATE TABLE "run_output_blocks" (
	"run_id" bigint NOT NULL,
	"first_seq" integer NOT NULL,
	"last_seq" integer NOT NULL,
	"search_text" text NOT NULL,
	CONSTRAINT "run_output_blocks_run_id_first_seq_pk" PRIMARY KEY("run_id","first_seq")
);
--> statement-breakpoint
ALTER TABLE "run_output_blocks" ADD CONSTRAINT "run_output_blocks_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Kept uncompressed: every search reads every block of a run, and decompressing 80 MB per search would cost more than reading it.
ALTER TABLE "run_output_blocks" ALTER COLUMN "search_text" SET STORAGE EXTERNAL;
