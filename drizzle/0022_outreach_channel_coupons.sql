CREATE TABLE "outreach_coupons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"code" text NOT NULL,
	"send_id" uuid,
	"assigned_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outreach_campaigns" ADD COLUMN "channel" text DEFAULT 'email' NOT NULL;--> statement-breakpoint
ALTER TABLE "outreach_campaigns" ADD COLUMN "segment" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "outreach_coupons" ADD CONSTRAINT "outreach_coupons_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_coupons" ADD CONSTRAINT "outreach_coupons_campaign_id_outreach_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."outreach_campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outreach_coupons_code_idx" ON "outreach_coupons" USING btree ("campaign_id","code");--> statement-breakpoint
CREATE INDEX "outreach_coupons_free_idx" ON "outreach_coupons" USING btree ("campaign_id") WHERE "outreach_coupons"."send_id" IS NULL;--> statement-breakpoint
CREATE INDEX "outreach_coupons_workspace_idx" ON "outreach_coupons" USING btree ("workspace_id");