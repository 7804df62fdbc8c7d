CREATE TABLE "feedback_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"source" text NOT NULL,
	"body" text NOT NULL,
	"rating" real,
	"email" text,
	"customer_id" uuid,
	"ticket_id" uuid,
	"response_id" uuid,
	"theme_id" uuid,
	"external_id" text,
	"occurred_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"csat_enabled" boolean DEFAULT true NOT NULL,
	"csat_delay_minutes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"link_ttl_hours" integer DEFAULT 168 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback_themes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"label" text NOT NULL,
	"terms" text[] DEFAULT '{}'::text[] NOT NULL,
	"centroid" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"action_label" text,
	"action_at" timestamp (3) with time zone,
	"alerted_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"segment" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"every_days" integer DEFAULT 30 NOT NULL,
	"suppression_days" integer DEFAULT 90 NOT NULL,
	"next_run_at" timestamp (3) with time zone NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"ticket_id" uuid,
	"customer_id" uuid,
	"agent_id" uuid,
	"campaign_id" uuid,
	"email" text,
	"sent_at" timestamp (3) with time zone,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"answered_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"score" smallint NOT NULL,
	"comment" text,
	"source" text NOT NULL,
	"invitation_id" uuid,
	"ticket_id" uuid,
	"customer_id" uuid,
	"agent_id" uuid,
	"answered_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "feedback_items" ADD CONSTRAINT "feedback_items_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_items" ADD CONSTRAINT "feedback_items_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_items" ADD CONSTRAINT "feedback_items_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_items" ADD CONSTRAINT "feedback_items_response_id_survey_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."survey_responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_items" ADD CONSTRAINT "feedback_items_theme_id_feedback_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."feedback_themes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_settings" ADD CONSTRAINT "feedback_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_themes" ADD CONSTRAINT "feedback_themes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_campaigns" ADD CONSTRAINT "survey_campaigns_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_invitation_id_survey_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."survey_invitations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feedback_items_workspace_idx" ON "feedback_items" USING btree ("workspace_id","occurred_at");--> statement-breakpoint
CREATE INDEX "feedback_items_theme_idx" ON "feedback_items" USING btree ("theme_id","occurred_at");--> statement-breakpoint
CREATE INDEX "feedback_items_customer_idx" ON "feedback_items" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "feedback_items_ticket_idx" ON "feedback_items" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "feedback_items_response_idx" ON "feedback_items" USING btree ("response_id");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_items_external_idx" ON "feedback_items" USING btree ("workspace_id","source","external_id");--> statement-breakpoint
CREATE INDEX "feedback_themes_workspace_idx" ON "feedback_themes" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "survey_campaigns_workspace_idx" ON "survey_campaigns" USING btree ("workspace_id","next_run_at");--> statement-breakpoint
CREATE INDEX "survey_invitations_ticket_idx" ON "survey_invitations" USING btree ("ticket_id","kind");--> statement-breakpoint
CREATE INDEX "survey_invitations_customer_idx" ON "survey_invitations" USING btree ("customer_id","kind","created_at");--> statement-breakpoint
CREATE INDEX "survey_invitations_agent_idx" ON "survey_invitations" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "survey_invitations_workspace_idx" ON "survey_invitations" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "survey_responses_workspace_idx" ON "survey_responses" USING btree ("workspace_id","kind","answered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_invitation_idx" ON "survey_responses" USING btree ("invitation_id");--> statement-breakpoint
CREATE INDEX "survey_responses_ticket_idx" ON "survey_responses" USING btree ("ticket_id","answered_at");--> statement-breakpoint
CREATE INDEX "survey_responses_customer_idx" ON "survey_responses" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "survey_responses_agent_idx" ON "survey_responses" USING btree ("agent_id");