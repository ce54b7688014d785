-- aiproj store schema, migration 017: the server's guard of a PostgreSQL
-- store split into a function per table (schemas/pg/017-guard-split.sql).
-- A file store has no server; nothing changes here.  The migration keeps
-- both stores' versions in step.
SELECT 1;
