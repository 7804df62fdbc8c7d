ALTER INDEX "kb_articles_search_idx" SET (fastupdate = off);--> statement-breakpoint
ALTER INDEX "kb_articles_title_trgm_idx" SET (fastupdate = off);