-- aiproj store schema, migration 021 (PostgreSQL): nothing changes here;
-- the migration keeps both stores' versions in step.  A file store's
-- schemas/021-export-covering.sql makes the indexes the export searches
-- hold every column it reads, notes and reasons of any length among them.
-- PostgreSQL refuses an index entry past about a third of a page, so the
-- same index here would refuse a long note; and the export reads its
-- lists through server cursors, a batch of rows a round trip, where the
-- file store read a page of the file at random for each row.
SELECT 1;
