CREATE TABLE "intel_message_sentiments" (
	"message_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"score" real NOT NULL,
	"label" text NOT NULL,
	"frustration" real NOT NULL,
	"urgency" real NOT NULL,
	"signals" text[] NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intel_ticket_sentiments" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"label" text NOT NULL,
	"score" real NOT NULL,
	"trend" text NOT NULL,
	"frustration" real NOT NULL,
	"urgency" real NOT NULL,
	"messages" integer NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intel_triage_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"predicted" text,
	"category" text NOT NULL,
	"text" text NOT NULL,
	"user_id" uuid,
	"learned_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intel_triage_models" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"model" text NOT NULL,
	"labels" text[] NOT NULL,
	"trained_rows" integer NOT NULL,
	"holdout_accuracy" real,
	"learned_corrections" integer DEFAULT 0 NOT NULL,
	"train_seconds" real NOT NULL,
	"trained_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intel_triage_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"source" jsonb NOT NULL,
	"threshold" real DEFAULT 0.8 NOT NULL,
	"mapping" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_by_user_id" uuid,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intel_triage_suggestions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"category" text NOT NULL,
	"confidence" real NOT NULL,
	"alternatives" jsonb NOT NULL,
	"team_id" uuid,
	"priority" text,
	"state" text NOT NULL,
	"model_version" integer NOT NULL,
	"decided_by_user_id" uuid,
	"decided_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "intel_message_sentiments" ADD CONSTRAINT "intel_message_sentiments_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_message_sentiments" ADD CONSTRAINT "intel_message_sentiments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_message_sentiments" ADD CONSTRAINT "intel_message_sentiments_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_ticket_sentiments" ADD CONSTRAINT "intel_ticket_sentiments_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_ticket_sentiments" ADD CONSTRAINT "intel_ticket_sentiments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_triage_feedback" ADD CONSTRAINT "intel_triage_feedback_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_triage_feedback" ADD CONSTRAINT "intel_triage_feedback_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_triage_feedback" ADD CONSTRAINT "intel_triage_feedback_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_triage_models" ADD CONSTRAINT "intel_triage_models_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_triage_settings" ADD CONSTRAINT "intel_triage_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_triage_settings" ADD CONSTRAINT "intel_triage_settings_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_triage_suggestions" ADD CONSTRAINT "intel_triage_suggestions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_triage_suggestions" ADD CONSTRAINT "intel_triage_suggestions_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_triage_suggestions" ADD CONSTRAINT "intel_triage_suggestions_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "intel_message_sentiments_ticket_idx" ON "intel_message_sentiments" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE INDEX "intel_ticket_sentiments_workspace_idx" ON "intel_ticket_sentiments" USING btree ("workspace_id","label");--> statement-breakpoint
CREATE INDEX "intel_triage_feedback_pending_idx" ON "intel_triage_feedback" USING btree ("workspace_id","learned_at");--> statement-breakpoint
CREATE INDEX "intel_triage_feedback_ticket_idx" ON "intel_triage_feedback" USING btree ("ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "intel_triage_suggestions_ticket_idx" ON "intel_triage_suggestions" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "intel_triage_suggestions_state_idx" ON "intel_triage_suggestions" USING btree ("workspace_id","state","created_at");