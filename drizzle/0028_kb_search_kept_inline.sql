-- Search ranks every article a query term matches by reading its tsvector: kept compressed in the row
-- rather than in the TOAST table, each read is one heap page instead of a TOAST index lookup and
-- several chunks. Rows written from now on take it; older ones move when next updated.
ALTER TABLE "kb_articles" ALTER COLUMN "search" SET STORAGE MAIN;
