CREATE TABLE "runbook_proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"base_version_hash" text,
	"definition" jsonb NOT NULL,
	"version_hash" text NOT NULL,
	"message" text NOT NULL,
	"author_id" uuid NOT NULL,
	"status" text NOT NULL,
	"reviewer_id" uuid,
	"review_comment" text,
	"reviewed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runbook_revisions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "runbook_revisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"number" integer NOT NULL,
	"version_hash" text NOT NULL,
	"kind" text NOT NULL,
	"author" text NOT NULL,
	"author_id" uuid,
	"message" text NOT NULL,
	"restored_from" integer,
	"proposal_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "runbook_proposals" ADD CONSTRAINT "runbook_proposals_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbook_proposals" ADD CONSTRAINT "runbook_proposals_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbook_revisions" ADD CONSTRAINT "runbook_revisions_version_hash_runbook_versions_hash_fk" FOREIGN KEY ("version_hash") REFERENCES "public"."runbook_versions"("hash") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "runbook_proposals_status_idx" ON "runbook_proposals" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "runbook_proposals_slug_idx" ON "runbook_proposals" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "runbook_revisions_slug_number_idx" ON "runbook_revisions" USING btree ("slug","number");--> statement-breakpoint
INSERT INTO "runbook_revisions" ("slug", "number", "version_hash", "kind", "author", "message", "created_at")
SELECT "slug", row_number() OVER (PARTITION BY "slug" ORDER BY "created_at", "hash"), "hash", 'synced', 'file sync', 'loaded from a file before version history was kept', "created_at"
FROM "runbook_versions";--> statement-breakpoint
INSERT INTO "runbook_revisions" ("slug", "number", "version_hash", "kind", "author", "message")
SELECT r."slug", (SELECT max(x."number") + 1 FROM "runbook_revisions" x WHERE x."slug" = r."slug"), r."current_version_hash", 'synced', 'file sync', 'current version when version history began'
FROM "runbooks" r
WHERE r."current_version_hash" <> (SELECT x."version_hash" FROM "runbook_revisions" x WHERE x."slug" = r."slug" ORDER BY x."number" DESC LIMIT 1);--> statement-breakpoint
CREATE OR REPLACE FUNCTION handrail_history_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'runbook history is immutable: % on % is refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;--> statement-breakpoint
CREATE TRIGGER runbook_revisions_immutable BEFORE UPDATE OR DELETE ON "runbook_revisions" FOR EACH ROW EXECUTE FUNCTION handrail_history_immutable();--> statement-breakpoint
CREATE TRIGGER runbook_versions_immutable BEFORE UPDATE OR DELETE ON "runbook_versions" FOR EACH ROW EXECUTE FUNCTION handrail_history_immutable();
