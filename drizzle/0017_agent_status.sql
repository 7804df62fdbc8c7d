CREATE TYPE "public"."agent_status" AS ENUM('online', 'away', 'offline');--> statement-breakpoint
ALTER TABLE "agent_profiles" ADD COLUMN "status" "agent_status" DEFAULT 'online' NOT NULL;--> statement-breakpoint
UPDATE "agent_profiles" SET "status" = 'offline' WHERE NOT "available";
