-- aiproj store schema, migration 022 (PostgreSQL): nothing changes here;
-- the migration keeps both stores' versions in step.  A file store's
-- schemas/022-people-summary.sql keeps a summary row an assignment so that
-- `report people` over the whole portfolio walks one table in its order
-- instead of sorting every assignment.  The server reads that report with
-- the one statement it had (src/store_report.c): its speed over the
-- whole portfolio is not what the file store's summary rows are for.
SELECT 1;
