ALTER TYPE "public"."follow_up_kind" ADD VALUE 'pending_reminder';--> statement-breakpoint
ALTER TYPE "public"."follow_up_kind" ADD VALUE 'auto_solve';