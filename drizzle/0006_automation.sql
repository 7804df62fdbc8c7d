CREATE TYPE "public"."sla_metric" AS ENUM('first_reply', 'next_reply', 'resolution');--> statement-breakpoint
CREATE TABLE "business_schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"time_zone" text NOT NULL,
	"hours" jsonb NOT NULL,
	"holidays" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"schedule_id" uuid,
	"conditions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"first_reply_minutes" integer,
	"next_reply_minutes" integer,
	"resolution_minutes" integer,
	"warn_minutes" integer DEFAULT 30 NOT NULL,
	"pause_while_pending" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_slas" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"policy_id" uuid,
	"metric" "sla_metric" NOT NULL,
	"target_minutes" integer NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"elapsed_seconds" integer DEFAULT 0 NOT NULL,
	"running_since" timestamp (3) with time zone,
	"due_at" timestamp (3) with time zone,
	"warned_at" timestamp (3) with time zone,
	"breached_at" timestamp (3) with time zone,
	"completed_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "business_schedules" ADD CONSTRAINT "business_schedules_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_schedule_id_business_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."business_schedules"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_slas" ADD CONSTRAINT "ticket_slas_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_slas" ADD CONSTRAINT "ticket_slas_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_slas" ADD CONSTRAINT "ticket_slas_policy_id_sla_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."sla_policies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "business_schedules_workspace_idx" ON "business_schedules" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "sla_policies_workspace_idx" ON "sla_policies" USING btree ("workspace_id","position");--> statement-breakpoint
CREATE INDEX "sla_policies_schedule_idx" ON "sla_policies" USING btree ("schedule_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_slas_ticket_metric_idx" ON "ticket_slas" USING btree ("ticket_id","metric");--> statement-breakpoint
CREATE INDEX "ticket_slas_due_idx" ON "ticket_slas" USING btree ("workspace_id","due_at") WHERE "ticket_slas"."completed_at" IS NULL;--> statement-breakpoint
CREATE INDEX "ticket_slas_policy_idx" ON "ticket_slas" USING btree ("policy_id");