CREATE TABLE "customer_duplicate_dismissals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"customer_a_id" uuid NOT NULL,
	"customer_b_id" uuid NOT NULL,
	"dismissed_by_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customer_duplicate_dismissals" ADD CONSTRAINT "customer_duplicate_dismissals_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_duplicate_dismissals" ADD CONSTRAINT "customer_duplicate_dismissals_customer_a_id_customers_id_fk" FOREIGN KEY ("customer_a_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_duplicate_dismissals" ADD CONSTRAINT "customer_duplicate_dismissals_customer_b_id_customers_id_fk" FOREIGN KEY ("customer_b_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_duplicate_dismissals" ADD CONSTRAINT "customer_duplicate_dismissals_dismissed_by_id_users_id_fk" FOREIGN KEY ("dismissed_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "customer_duplicate_dismissals_pair_idx" ON "customer_duplicate_dismissals" USING btree ("customer_a_id","customer_b_id");--> statement-breakpoint
CREATE INDEX "customer_duplicate_dismissals_b_idx" ON "customer_duplicate_dismissals" USING btree ("customer_b_id");--> statement-breakpoint
CREATE INDEX "customer_duplicate_dismissals_workspace_idx" ON "customer_duplicate_dismissals" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "customer_duplicate_dismissals_user_idx" ON "customer_duplicate_dismissals" USING btree ("dismissed_by_id");