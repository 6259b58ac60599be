ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "last_used_ip" text;--> statement-breakpoint
-- Tokens made before scopes keep every scope (still capped by their user's rights), so scripts keep working.
ALTER TABLE "api_tokens" ADD COLUMN "scopes" text[] DEFAULT '{read,run,approve,author,admin}' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_tokens" ALTER COLUMN "scopes" DROP DEFAULT;--> statement-breakpoint
-- ...and expire 90 days after this upgrade, not 90 days after they were made.
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" timestamp (3) with time zone DEFAULT (now() + interval '90 days') NOT NULL;--> statement-breakpoint
ALTER TABLE "api_tokens" ALTER COLUMN "expires_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "expiry_warned_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "kind" text DEFAULT 'person' NOT NULL;
