CREATE INDEX "ticket_events_workspace_created_idx" ON "ticket_events" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "tickets_workspace_created_idx" ON "tickets" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "tickets_workspace_solved_idx" ON "tickets" USING btree ("workspace_id","solved_at");